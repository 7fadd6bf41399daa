/** `notifier list`: every notifier (applied as kind Notifier), its events, and whether it signs; never a secret. */
import type { NotifierView } from '../../api-types';
import { BaseCommand } from '../../base-command';

/** Lists notifiers. */
export default class NotifierList extends BaseCommand<typeof NotifierList> {
  static override summary = 'List notifiers (secrets are never shown).';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  override async run(): Promise<{ notifiers: NotifierView[] }> {
    const result = await this.client.listNotifiers();
    if (!result.notifiers.length) this.log('no notifiers: apply one with `apply -f` (kind Notifier)');
    for (const notifier of result.notifiers) {
      this.log(`${notifier.name}\t${notifier.type}\t${notifier.url}\t${notifier.events.join(',') || 'maintenance alerts'}\t${notifier.signed ? 'signed' : 'unsigned'}`);
    }
    return result;
  }
}

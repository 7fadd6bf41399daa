/** `notifier delete NAME`: removes a notifier; an unknown name is an error and changes nothing. */
import { Args } from '@oclif/core';
import { BaseCommand } from '../../base-command';

/** Deletes a notifier. */
export default class NotifierDelete extends BaseCommand<typeof NotifierDelete> {
  static override summary = 'Delete a notifier.';
  static override examples = ['<%= config.bin %> <%= command.id %> pager'];
  static override args = { name: Args.string({ required: true, description: 'Notifier name.' }) };

  override async run(): Promise<{ success: boolean; name: string }> {
    const result = await this.client.deleteNotifier(this.args.name);
    this.log(`notifier ${result.name} deleted`);
    return result;
  }
}

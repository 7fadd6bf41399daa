/** `status`: the orchestrator's summary (SPEC 6 status object). */
import type { Status as StatusObject } from '../api-types';
import { BaseCommand } from '../base-command';
import { statusLines } from '../format';

/** Prints health, counts, emergency stop, applied presets, overrides and recent activity. */
export default class Status extends BaseCommand<typeof Status> {
  static override summary = 'Show health, active counts, emergency stop, applied presets and recent activity.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  override async run(): Promise<StatusObject> {
    const status = await this.client.status();
    this.log(statusLines(status).join('\n'));
    return status;
  }
}

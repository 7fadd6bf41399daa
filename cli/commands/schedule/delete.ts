/** `schedule delete NAME`: removes a window; an open allow window's scenarios are then driven inactive. */
import { Args } from '@oclif/core';
import { BaseCommand } from '../../base-command';

/** Deletes a schedule. */
export default class ScheduleDelete extends BaseCommand<typeof ScheduleDelete> {
  static override summary = 'Delete a maintenance window.';
  static override examples = ['<%= config.bin %> <%= command.id %> sunday-security'];
  static override args = { name: Args.string({ required: true, description: 'Schedule name.' }) };

  override async run(): Promise<{ success: boolean; name: string }> {
    const result = await this.client.deleteSchedule(this.args.name);
    this.log(`schedule ${result.name} deleted`);
    return result;
  }
}

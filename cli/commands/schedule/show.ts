/** `schedule show NAME`: one window in full. */
import { Args } from '@oclif/core';
import type { Schedule } from '../../api-types';
import { BaseCommand } from '../../base-command';
import { scheduleDetail } from '../../format';

/** Shows a schedule. */
export default class ScheduleShow extends BaseCommand<typeof ScheduleShow> {
  static override summary = 'Show a maintenance window and when it next opens.';
  static override examples = ['<%= config.bin %> <%= command.id %> sunday-security'];
  static override args = { name: Args.string({ required: true, description: 'Schedule name.' }) };

  override async run(): Promise<Schedule> {
    const schedule = await this.client.getSchedule(this.args.name);
    this.log(scheduleDetail(schedule));
    return schedule;
  }
}

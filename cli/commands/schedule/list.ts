/** `schedule list`: every window, open now or its next opening and closing, in its zone and in UTC. */
import type { Schedule } from '../../api-types';
import { BaseCommand } from '../../base-command';
import { scheduleTable } from '../../format';

/** Lists schedules and calendar windows. */
export default class ScheduleList extends BaseCommand<typeof ScheduleList> {
  static override summary = 'List maintenance windows: open now, or when they next open and close.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  override async run(): Promise<{ schedules: Schedule[] }> {
    const result = await this.client.listSchedules();
    this.log(result.schedules.length ? scheduleTable(result.schedules) : 'no schedules: create one with `schedule create` or `apply -f`');
    return result;
  }
}

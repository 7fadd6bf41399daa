/** `schedule create`: a maintenance window, validated by the server when written. */
import { Flags } from '@oclif/core';
import type { Schedule } from '../../api-types';
import { BaseCommand } from '../../base-command';
import { defaultScheduleName, scheduleDetail } from '../../format';

/** Creates a schedule. */
export default class ScheduleCreate extends BaseCommand<typeof ScheduleCreate> {
  static override summary = 'Create a maintenance window: a preset, a cron in a time zone, and a duration.';
  static override description = `An allow window adds the preset to the desired state while it is open; a deny window blocks
activations of the scenarios its preset selects. Cron is matched on the wall clock of --time-zone,
DST included. Invalid cron, duration or zone is refused (exit 2).`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --preset security-only --cron "0 2 * * 0" --duration 2h',
    '<%= config.bin %> <%= command.id %> --name sunday-security --preset security --cron "0 2 * * 0" --duration 2h --time-zone Europe/Berlin',
    '<%= config.bin %> <%= command.id %> --name freeze --preset full --cron "0 9 * * 1-5" --duration 8h --kind deny',
  ];
  static override flags = {
    name: Flags.string({ summary: 'Schedule id (default: derived from preset and cron).' }),
    preset: Flags.string({ summary: 'Preset id or alias.', required: true }),
    cron: Flags.string({ summary: 'Five cron fields, e.g. "0 2 * * 0".', required: true }),
    duration: Flags.string({ summary: 'How long each window lasts, e.g. 2h or 1h30m.', required: true }),
    'time-zone': Flags.string({ summary: 'IANA time zone.', default: 'UTC' }),
    kind: Flags.string({ summary: 'allow (default) or deny.', options: ['allow', 'deny'], default: 'allow' }),
    description: Flags.string({ summary: 'What the window is for.' }),
  };

  override async run(): Promise<Schedule> {
    const flags = this.flags;
    const schedule = await this.client.createSchedule({
      name: flags.name ?? defaultScheduleName(flags.preset, flags.cron),
      preset: flags.preset,
      cron: flags.cron,
      duration: flags.duration,
      timeZone: flags['time-zone'],
      kind: flags.kind as 'allow' | 'deny',
      description: flags.description,
    });
    this.log(`schedule ${schedule.name} created`);
    this.log(scheduleDetail(schedule));
    return schedule;
  }
}

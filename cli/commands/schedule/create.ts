/** `schedule create`: a maintenance window, validated by the server when written. */
import { Flags } from '@oclif/core';
import type { Schedule } from '../../api-types';
import { BaseCommand } from '../../base-command';
import { defaultScheduleName, scheduleDetail } from '../../format';

/** Creates a schedule. */
export default class ScheduleCreate extends BaseCommand<typeof ScheduleCreate> {
  static override summary = 'Create a maintenance window: a preset, a cron (or a one-off --at) in a time zone, and a duration.';
  static override description = `An allow window adds the preset to the desired state while it is open; a deny window blocks
activations of the scenarios its preset selects; a blackout (--kind blackout, no --preset) blocks activations
of every scenario. Give --cron for a recurring window (optionally --offset-days, --valid-from, --valid-until)
or --at for a one-off window. Cron and --at are read on the wall clock of --time-zone, DST included.
Invalid cron, at, dates, duration or zone is refused (exit 2).`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --preset security-only --cron "0 2 * * 0" --duration 2h',
    '<%= config.bin %> <%= command.id %> --name sunday-security --preset security --cron "0 2 * * 0" --duration 2h --time-zone Europe/Berlin',
    '<%= config.bin %> <%= command.id %> --name freeze --preset full --cron "0 9 * * 1-5" --duration 8h --kind deny',
    '<%= config.bin %> <%= command.id %> --name patch-thursday --preset security --cron "0 2 8-14 * 2" --offset-days 2 --duration 3h --valid-from 2026-01-01 --valid-until 2026-12-31',
    '<%= config.bin %> <%= command.id %> --name holiday-freeze --kind blackout --at 2026-12-24T00:00 --duration 3d --time-zone Europe/Berlin',
  ];
  static override flags = {
    name: Flags.string({ summary: 'Schedule id (default: derived from preset or kind, and cron or at).' }),
    preset: Flags.string({ summary: 'Preset id or alias; required for allow and deny, refused on a blackout.' }),
    cron: Flags.string({ summary: 'Five cron fields, e.g. "0 2 * * 0"; exactly one of --cron and --at.' }),
    at: Flags.string({ summary: 'A one-off window: ISO date-time, e.g. 2026-12-24T18:00 (wall clock of --time-zone) or 2026-12-24T17:00Z.' }),
    'offset-days': Flags.integer({ summary: 'Cron only: whole days added to each match, -27..27 ("second Tuesday + 2 days").' }),
    'valid-from': Flags.string({ summary: 'Cron only: first day (YYYY-MM-DD, in --time-zone) an occurrence may start on.' }),
    'valid-until': Flags.string({ summary: 'Cron only: last day (YYYY-MM-DD, in --time-zone) an occurrence may start on.' }),
    duration: Flags.string({ summary: 'How long each window lasts, e.g. 2h or 1h30m.', required: true }),
    'time-zone': Flags.string({ summary: 'IANA time zone.', default: 'UTC' }),
    kind: Flags.string({ summary: 'allow (default), deny, or blackout (every scenario, no preset).', options: ['allow', 'deny', 'blackout'], default: 'allow' }),
    description: Flags.string({ summary: 'What the window is for.' }),
  };

  override async run(): Promise<Schedule> {
    const flags = this.flags;
    const schedule = await this.client.createSchedule({
      name: flags.name ?? defaultScheduleName(flags.preset ?? flags.kind, flags.cron ?? flags.at ?? ''),
      preset: flags.preset,
      cron: flags.cron,
      at: flags.at,
      offsetDays: flags['offset-days'],
      validFrom: flags['valid-from'],
      validUntil: flags['valid-until'],
      duration: flags.duration,
      timeZone: flags['time-zone'],
      kind: flags.kind as 'allow' | 'deny' | 'blackout',
      description: flags.description,
    });
    this.log(`schedule ${schedule.name} created`);
    this.log(scheduleDetail(schedule));
    return schedule;
  }
}

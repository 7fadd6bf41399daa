/** `timeline [--from TIME] [--to TIME] [--tz ZONE]`: windows, blackouts and override expiries ahead. */
import { Flags } from '@oclif/core';
import type { Timeline as TimelineAnswer } from '../api-types';
import { BaseCommand } from '../base-command';
import { timelineLines } from '../explain-format';
import { tzFlag } from '../flags';

/** Prints every window run and override expiry in a range, in time order. */
export default class Timeline extends BaseCommand<typeof Timeline> {
  static override summary = 'Windows, blackouts and override expiries ahead (default: the next 7 days).';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --from tomorrow --to +3d --tz Europe/Berlin'];
  static override flags = {
    from: Flags.string({ summary: 'Start: ISO, "now", "+3h", "tomorrow 02:00", "sat 02:00" (default now).' }),
    to: Flags.string({ summary: 'End, in the same forms (default from + 7 days).' }),
    tz: tzFlag,
  };

  override async run(): Promise<TimelineAnswer> {
    const timeline = await this.client.timeline({ from: this.flags.from, to: this.flags.to, tz: this.flags.tz });
    this.log(timelineLines(timeline).join('\n'));
    return timeline;
  }
}

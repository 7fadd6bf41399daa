/** `explain ID [--at TIME] [--tz ZONE]`: why a scenario is where it is, and what changes that next. */
import { Args } from '@oclif/core';
import type { Explanation } from '../api-types';
import { BaseCommand } from '../base-command';
import { explanationLines } from '../explain-format';
import { atFlag, tzFlag } from '../flags';

/** Prints a scenario's desired state and source, every gate, its target, what is observed and the next transition. */
export default class Explain extends BaseCommand<typeof Explain> {
  static override summary = 'Explain a scenario: desired state and source, every gate in order, target, observed, health checks, next transition.';
  static override description = 'With --at, as the loop would decide at that instant under today\'s declarations (observed state, host load and health as now).';
  static override examples = ['<%= config.bin %> <%= command.id %> security-scanner', '<%= config.bin %> <%= command.id %> security-scanner --at "sat 02:00" --tz Europe/Berlin', '<%= config.bin %> <%= command.id %> security-scanner --at +3h --json'];
  static override args = { id: Args.string({ required: true, description: 'Scenario id.' }) };
  static override flags = { at: atFlag, tz: tzFlag };

  override async run(): Promise<Explanation> {
    const explanation = await this.client.explain(this.args.id, this.flags.at, this.flags.tz);
    this.log(explanationLines(explanation).join('\n'));
    return explanation;
  }
}

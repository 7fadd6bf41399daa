/** `deactivate ID`: an override that makes one scenario desired inactive. Never blocked by a gate. */
import { Args, Flags } from '@oclif/core';
import type { ScenarioChangeResult } from '../api-types';
import { BaseCommand } from '../base-command';
import { EXIT } from '../errors';
import { scenarioChangeLine } from '../format';

/** Deactivates one scenario and reports whether it acknowledged. */
export default class Deactivate extends BaseCommand<typeof Deactivate> {
  static override summary = 'Deactivate one maintenance scenario (an override of the declared state).';
  static override description = 'Exit codes: 0 inactive, 1 not acknowledged (the loop keeps trying).';
  static override examples = ['<%= config.bin %> <%= command.id %> code-smell', '<%= config.bin %> <%= command.id %> database-vacuum --reason "release freeze"'];
  static override args = { id: Args.string({ required: true, description: 'Scenario id (see list).' }) };
  static override flags = {
    reason: Flags.string({ summary: 'Why, recorded in the activity log.' }),
  };

  override async run(): Promise<ScenarioChangeResult> {
    const result = await this.client.deactivate(this.args.id, { reason: this.flags.reason });
    const line = scenarioChangeLine(result, Date.now());
    if (!result.success) this.fail(line, EXIT.failure, result);
    this.log(line);
    return result;
  }
}

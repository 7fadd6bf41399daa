/** `stop-all`: the emergency stop. Everything is driven inactive and nothing activates until `resume`. */
import { Flags } from '@oclif/core';
import type { StopAllResult } from '../api-types';
import { BaseCommand } from '../base-command';
import { EXIT } from '../errors';
import { yesFlag } from '../flags';
import { stopAllLines } from '../format';
import { askLine, isInteractive } from '../prompt';

/** Stops all maintenance, after a confirmation (or --yes). */
export default class StopAll extends BaseCommand<typeof StopAll> {
  static override summary = 'Emergency stop: deactivate every scenario, clear applied presets and overrides, block activations until resume.';
  static override description = `Clears the applied presets and overrides, records who stopped and why, and latches: nothing
activates until 'resume', and after it only open allow windows come back on their own.
On a terminal it asks for a reason (empty for none) and a confirmation. Scripts pass --yes (without it: exit 3,
nothing sent); --reason is optional there, and the server records "no reason given".
Exit codes: 0 stopped, 1 a scenario did not acknowledge its deactivation (the loop keeps trying), 3 not confirmed.`;
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --yes --reason "incident 42"', '<%= config.bin %> <%= command.id %> --yes'];
  static override flags = {
    reason: Flags.string({ char: 'r', summary: 'Why, recorded with your name (asked for on a terminal; optional in scripts).' }),
    yes: yesFlag,
  };

  override async run(): Promise<StopAllResult> {
    let reason = this.flags.reason;
    if (!this.flags.yes) {
      const refusal = { error: 'ConfirmationRequired', message: 'stop-all needs confirmation: pass --yes' };
      if (!isInteractive()) this.fail('stop-all: refused without confirmation; nothing was sent. Pass --yes to confirm.', EXIT.refused, refusal);
      const active = await this.client.listScenarios({ state: 'active' });
      const lines = [
        `stop-all deactivates every scenario (active now: ${active.scenarios.map((s) => s.id).join(', ') || 'none'}),`,
        "clears the applied presets and overrides, and blocks activations until 'resume'.",
      ];
      await this.confirmLocally('Stop all maintenance?', lines, false, refusal);
      reason ??= await askLine('Reason, recorded with your name (empty for none): ');
    }
    const result = await this.client.stopAll(reason?.trim() || undefined);
    const lines = stopAllLines(result);
    this.log(lines.join('\n'));
    if (!result.success) this.fail(`not converged: ${result.stillActive.join(', ')} did not acknowledge the deactivation (the loop keeps trying)`, EXIT.failure, result);
    return result;
  }
}

/** `stop-all`: the emergency stop. Everything is driven inactive and nothing activates until `resume`. */
import * as os from 'node:os';
import { Flags } from '@oclif/core';
import type { StopAllResult } from '../api-types';
import { BaseCommand } from '../base-command';
import { EXIT } from '../errors';
import { yesFlag } from '../flags';
import { stopAllLines } from '../format';
import { isInteractive } from '../prompt';

/** Stops all maintenance, after a confirmation (or --yes). */
export default class StopAll extends BaseCommand<typeof StopAll> {
  static override summary = 'Emergency stop: deactivate every scenario and block activations until resume.';
  static override description = `Clears the applied presets and overrides, records the reason and who stopped, and latches:
nothing activates until 'resume'. Asks for confirmation on a terminal; scripts pass --yes (without it: exit 3, nothing sent).`;
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --yes --reason "incident 42"'];
  static override flags = {
    reason: Flags.string({ char: 'r', summary: 'Why, recorded with the actor (default: "emergency stop from the CLI by <user>").' }),
    yes: yesFlag,
  };

  override async run(): Promise<StopAllResult> {
    const reason = this.flags.reason ?? `emergency stop from the CLI by ${safeUser()}`;
    const refusal = { error: 'ConfirmationRequired', message: 'stop-all needs confirmation: pass --yes' };
    if (!this.flags.yes && !isInteractive()) this.fail('stop-all: refused without confirmation; nothing was sent. Pass --yes to confirm.', EXIT.refused, refusal);
    if (!this.flags.yes) {
      const active = await this.client.listScenarios({ state: 'active' });
      const lines = [`stop-all deactivates every scenario (active now: ${active.scenarios.map((s) => s.id).join(', ') || 'none'})`, "and blocks activations until 'resume'."];
      await this.confirmLocally('Stop all maintenance?', lines, false, refusal);
    }
    const result = await this.client.stopAll(reason);
    const lines = stopAllLines(result);
    if (!result.success) this.fail(lines.join('\n'), EXIT.failure, result);
    this.log(lines.join('\n'));
    return result;
  }
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown user';
  }
}

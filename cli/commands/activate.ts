/** `activate ID`: an override that makes one scenario desired active, optionally for a while. */
import { Args, Flags } from '@oclif/core';
import type { ScenarioChangeResult } from '../api-types';
import { BaseCommand } from '../base-command';
import { ApiError, EXIT } from '../errors';
import { checkTtl, ttlFlag } from '../flags';
import { blockedLine, scenarioChangeLine } from '../format';

/** Activates one scenario and reports whether it acknowledged, or which gate blocks it. */
export default class Activate extends BaseCommand<typeof Activate> {
  static override summary = 'Activate one maintenance scenario (an override of the declared state).';
  static override description = `Answers once the scenario acknowledged, failed, or was blocked by a safety gate.
Exit codes: 0 active, 1 not acknowledged, 2 bad input (such as --ttl 0), 3 refused by a gate (the reason and
message are printed).
A blocked scenario stays desired active and starts when the gate clears; deactivate it to withdraw.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> code-smell',
    '<%= config.bin %> <%= command.id %> backup-manager --ttl 2h --reason "before the upgrade"',
  ];
  static override args = { id: Args.string({ required: true, description: 'Scenario id (see list).' }) };
  static override flags = {
    ttl: ttlFlag,
    reason: Flags.string({ summary: 'Why, recorded in the activity log.' }),
  };

  override async run(): Promise<ScenarioChangeResult> {
    const id = this.args.id;
    const ttl = this.flags.ttl === undefined ? undefined : this.checkedTtl(this.flags.ttl);
    let result: ScenarioChangeResult;
    try {
      result = await this.client.activate(id, { ttl, reason: this.flags.reason });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && error.body.reason) await this.refused(id, error);
      throw error;
    }
    const line = scenarioChangeLine(result, Date.now());
    if (!result.success) this.fail(line, EXIT.failure, result);
    this.log(line);
    return result;
  }

  /** The --ttl value, or a usage error (exit 2) before anything is sent. */
  private checkedTtl(input: string): string {
    try {
      return checkTtl(input);
    } catch (error) {
      return this.fail((error as Error).message, EXIT.usage);
    }
  }

  /** A gate refused: show the gate's own message as the scenario shows it, not the server's sentence around it. */
  private async refused(id: string, error: ApiError): Promise<never> {
    const reason = error.body.reason as string;
    let message = error.body.message;
    if (error.body.scenario) {
      const view = await this.client.getScenario(id).catch(() => null);
      if (view?.reason === reason && view.message) message = view.message;
      message += `\n(${id} stays desired active and starts when the gate clears; '${this.config.bin} deactivate ${id}' withdraws it)`;
    }
    return this.fail(blockedLine(id, reason, message), EXIT.refused, error.body);
  }
}

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
A blocked scenario stays desired active and starts when the gate clears; deactivate it to withdraw.
--break-glass (admin role) passes WindowClosed, ResourcePressure, HealthCheck, FailureBudget and Cooldown, never
EmergencyStop, Conflict or ConcurrencyLimit; it needs --reason and --ttl (at most the server's BREAK_GLASS_MAX_TTL,
4h unless set), and shows in status, on the dashboard and in the activity log with who and why.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> code-smell',
    '<%= config.bin %> <%= command.id %> backup-manager --ttl 2h --reason "before the upgrade"',
    '<%= config.bin %> <%= command.id %> security-scanner --break-glass --ttl 1h --reason "INC-4711: scan during the freeze"',
  ];
  static override args = { id: Args.string({ required: true, description: 'Scenario id (see list).' }) };
  static override flags = {
    ttl: ttlFlag,
    reason: Flags.string({ summary: 'Why, recorded in the activity log (required with --break-glass).' }),
    'break-glass': Flags.boolean({ summary: 'Pass the windows, host, health, failure-budget and cooldown gates for an incident (admin; needs --reason and --ttl).' }),
  };

  override async run(): Promise<ScenarioChangeResult> {
    const id = this.args.id;
    const ttl = this.flags.ttl === undefined ? undefined : this.checkedTtl(this.flags.ttl);
    const breakGlass = this.flags['break-glass'];
    if (breakGlass && !this.flags.reason?.trim()) this.fail('--break-glass needs --reason: it is recorded with who broke the glass', EXIT.usage);
    if (breakGlass && ttl === undefined) this.fail('--break-glass needs --ttl (at most the server\'s BREAK_GLASS_MAX_TTL, 4h unless set)', EXIT.usage);
    let result: ScenarioChangeResult;
    try {
      result = await this.client.activate(id, { ttl, reason: this.flags.reason, ...(breakGlass ? { breakGlass: true } : {}) });
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

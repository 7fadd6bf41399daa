/** `notifier test NAME`: sends one test notification through the server's dispatcher and reports how it ended. */
import { Args } from '@oclif/core';
import type { NotifierTestResult } from '../../api-types';
import { BaseCommand } from '../../base-command';
import { EXIT } from '../../errors';

/** Tests a notifier; exits 1 when the receiver did not take the delivery. */
export default class NotifierTest extends BaseCommand<typeof NotifierTest> {
  static override summary = 'Send a test notification to a notifier and report whether it was delivered.';
  static override description =
    'A webhook or slack notifier gets the event notifier.test (signed like any other), an alertmanager notifier a MaintenanceNotifierTest alert that resolves after 5 minutes. One attempt, no retries; exits 1 when it was not delivered.';
  static override examples = ['<%= config.bin %> <%= command.id %> pager', '<%= config.bin %> <%= command.id %> pager --json'];
  static override args = { name: Args.string({ required: true, description: 'Notifier name.' }) };

  override async run(): Promise<NotifierTestResult> {
    const result = await this.client.testNotifier(this.args.name);
    const answer = result.status === null ? 'no answer' : `HTTP ${result.status}`;
    if (!result.delivered) this.fail(`${result.event} to ${result.notifier} (${result.type}) not delivered: ${result.error ?? answer}`, EXIT.failure, result);
    this.log(`${result.event} delivered to ${result.notifier} (${result.type}): ${answer} in ${result.durationMs} ms`);
    return result;
  }
}

/** `apply -f FILE`: applies manifests of any kind (MaintenanceState sets the whole declared state). */
import type { ApplyResult } from '../api-types';
import { BaseCommand } from '../base-command';
import { outcomeOfApply } from '../errors';
import { dryRunFlag, fileFlag, yesFlag } from '../flags';
import { appliedDocumentLines } from '../format';

/** Sends a manifest file to the server, which validates every document before changing anything. */
export default class Apply extends BaseCommand<typeof Apply> {
  static override summary = 'Apply a manifest file of any kind: MaintenanceState, Preset, Policy, Schedule, Notifier.';
  static override description = `Every document is validated first (errors name the file, line and field; exit 2); then, in order:
  MaintenanceState  replaces the applied presets and overrides whole
  Preset            creates or replaces a custom preset
  Policy            replaces the safety policy
  Schedule          creates or replaces a maintenance window
  Notifier          creates or replaces a notifier (webhook, slack, alertmanager)
Prints what activates, what deactivates and what is blocked (with the gate and its message). --dry-run only prints
that plan. A change that touches many scenarios asks for confirmation on a terminal; scripts pass --yes (without it:
exit 3, nothing changed). Exit codes: 0 applied (blocked ones listed), 1 a scenario did not acknowledge, 2 invalid
file or unknown scenario, 3 unconfirmed or a gate holds back every scenario the file asked for.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> -f manifests/examples/state.yaml --dry-run',
    '<%= config.bin %> <%= command.id %> -f manifests/examples/state.yaml --yes',
    'cat state.yaml | <%= config.bin %> <%= command.id %> -f -',
  ];
  static override flags = {
    file: fileFlag,
    'dry-run': dryRunFlag,
    yes: yesFlag,
  };

  override async run(): Promise<ApplyResult> {
    const { text, source } = await this.readInput(this.flags.file);
    const dryRun = this.flags['dry-run'];
    const result = dryRun
      ? await this.client.applyManifests({ manifests: text, source, dryRun })
      : await this.withConfirmation((confirm) => this.client.applyManifests({ manifests: text, source, confirm: confirm || undefined }), this.flags.yes);
    const lines = appliedDocumentLines(result.documents, dryRun);
    if (dryRun) this.log(['dry run: nothing changed', ...lines].join('\n'));
    else this.finishChange(lines, outcomeOfApply(result.documents), result);
    return result;
  }
}

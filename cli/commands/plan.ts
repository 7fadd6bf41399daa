/** `plan [-f FILE]`: what the loop is doing now, or what a MaintenanceState file would do. */
import type { ApplyResult, ChangePlan } from '../api-types';
import { BaseCommand } from '../base-command';
import { optionalFileFlag } from '../flags';
import { appliedDocumentLines, planLines } from '../format';

/** Prints a plan without changing anything. */
export default class Plan extends BaseCommand<typeof Plan> {
  static override summary = 'Show the current plan (pending actions, blocked scenarios), or the plan of a manifest file.';
  static override description = 'With -f the file is sent as a dry run of apply -f: nothing changes.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> -f manifests/examples/state.yaml'];
  static override flags = { file: optionalFileFlag };

  override async run(): Promise<ChangePlan | ApplyResult> {
    if (this.flags.file) {
      const { text, source } = await this.readInput(this.flags.file);
      const result = await this.client.applyManifests({ manifests: text, source, dryRun: true });
      this.log(appliedDocumentLines(result.documents, true).join('\n'));
      return result;
    }
    const plan = await this.client.plan();
    this.log(planLines(plan, 'now').join('\n'));
    return plan;
  }
}

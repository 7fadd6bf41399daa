/** `plan [-f FILE] [--at TIME]`: what the loop is doing now, what a MaintenanceState file would do, or the fleet at an instant. */
import type { ApplyResult, ChangePlan, FleetPlan } from '../api-types';
import { BaseCommand } from '../base-command';
import { CliFailure, EXIT } from '../errors';
import { fleetPlanLines } from '../explain-format';
import { atFlag, optionalFileFlag, tzFlag } from '../flags';
import { appliedDocumentLines, planLines } from '../format';

/** Prints a plan without changing anything. */
export default class Plan extends BaseCommand<typeof Plan> {
  static override summary = 'Show the current plan (pending actions, blocked scenarios), or the plan of a manifest file.';
  static override description = 'With -f the file is sent as a dry run of apply -f: nothing changes. With --at, every scenario at that instant under today\'s declarations, through the loop\'s own planner.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> -f manifests/examples/state.yaml', '<%= config.bin %> <%= command.id %> --at "sat 02:00" --tz Europe/Berlin'];
  static override flags = { file: optionalFileFlag, at: atFlag, tz: tzFlag };

  override async run(): Promise<ChangePlan | ApplyResult | FleetPlan> {
    if (this.flags.at !== undefined) {
      if (this.flags.file) throw new CliFailure('--at plans today\'s declarations at an instant; it does not take -f', EXIT.usage);
      const fleet = await this.client.planAt(this.flags.at, this.flags.tz);
      this.log(fleetPlanLines(fleet).join('\n'));
      return fleet;
    }
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

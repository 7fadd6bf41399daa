/** `policy show`: the safety policy in force, as a manifest that `policy apply -f` takes back. */
import { stringify } from 'yaml';
import type { PolicyView } from '../../api-types';
import { BaseCommand } from '../../base-command';

/** Prints the policy. */
export default class PolicyShow extends BaseCommand<typeof PolicyShow> {
  static override summary = 'Show the safety policy in force (limits, conflicts, thresholds) and where it came from.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> > policy.yaml'];

  override async run(): Promise<PolicyView> {
    const view = await this.client.policy();
    const manifest = { apiVersion: 'maintenance/v1', kind: 'Policy', metadata: { name: 'current' }, spec: view.policy };
    this.log(`# source: ${view.source}\n${stringify(manifest).trimEnd()}`);
    return view;
  }
}

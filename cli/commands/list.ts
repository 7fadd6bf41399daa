/** `list`: every maintenance scenario with its observed and desired state and why it is not converged. */
import { Flags } from '@oclif/core';
import type { ScenarioList } from '../api-types';
import { BaseCommand } from '../base-command';
import { scenarioTable } from '../format';

/** Lists scenarios as a table. */
export default class List extends BaseCommand<typeof List> {
  static override summary = 'List maintenance scenarios: observed, desired, TTL left and the reason when not converged.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --state blocked', '<%= config.bin %> <%= command.id %> --tag performance --json'];
  static override flags = {
    state: Flags.option({ summary: 'Only scenarios in this state.', options: ['active', 'inactive', 'blocked', 'unreachable', 'progressing'] as const })(),
    tag: Flags.string({ summary: 'Only scenarios with this tag.' }),
    search: Flags.string({ char: 'q', summary: 'Only scenarios whose id, name or tags contain this text.' }),
  };

  override async run(): Promise<ScenarioList> {
    const { state, tag, search } = this.flags;
    const result = await this.client.listScenarios({ state, tag, q: search });
    this.log(scenarioTable(result.scenarios, Date.now(), { state, tag, search }));
    return result;
  }
}

/** `preset remove NAME`: takes a preset out of the applied set; what only it selected is driven inactive. */
import { Args } from '@oclif/core';
import type { PresetChangeResult } from '../../api-types';
import { BaseCommand } from '../../base-command';
import { dryRunFlag, yesFlag } from '../../flags';
import { presetChangeLines } from '../../format';

/** Removes a preset from the applied presets. */
export default class PresetRemove extends BaseCommand<typeof PresetRemove> {
  static override summary = 'Remove a preset from the applied presets.';
  static override examples = ['<%= config.bin %> <%= command.id %> security', '<%= config.bin %> <%= command.id %> full --yes'];
  static override args = { name: Args.string({ required: true, description: 'Preset id or alias.' }) };
  static override flags = { 'dry-run': dryRunFlag, yes: yesFlag };

  override async run(): Promise<PresetChangeResult> {
    const dryRun = this.flags['dry-run'];
    const name = this.args.name;
    const result = dryRun
      ? await this.client.removePreset(name, { dryRun })
      : await this.withConfirmation((confirm) => this.client.removePreset(name, { confirm: confirm || undefined }), this.flags.yes);
    const lines = presetChangeLines(result, 'removed', dryRun);
    // A dry run only plans: it exits 0 whatever the plan holds.
    if (dryRun) this.log(lines.join('\n'));
    else this.finishChange(lines, { touched: result.plan.touched, blocked: result.blocked, failed: result.failed }, result);
    return result;
  }
}

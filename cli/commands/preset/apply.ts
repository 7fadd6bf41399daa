/** `preset apply NAME`: the applied presets become exactly [NAME] and overrides clear (or `--add` it). */
import { Args, Flags } from '@oclif/core';
import type { PresetChangeResult } from '../../api-types';
import { BaseCommand } from '../../base-command';
import { dryRunFlag, yesFlag } from '../../flags';
import { presetChangeLines } from '../../format';

/** Applies a preset, with confirmation when it touches many scenarios. */
export default class PresetApply extends BaseCommand<typeof PresetApply> {
  static override summary = 'Apply a preset: it becomes the only applied preset and overrides clear.';
  static override description = `Idempotent: applying the same preset twice changes nothing. --add adds it to the applied presets instead.
A change that touches more scenarios than the policy's bulkConfirmThreshold asks for confirmation on a terminal;
scripts pass --yes (without it the command prints the plan and exits 3). Blocked scenarios are listed with the gate and its message.
Exit codes: 0 applied (blocked ones listed), 1 a scenario did not acknowledge, 3 unconfirmed or a gate holds back
every scenario the change asked for (the preset stays applied; they start when the gate clears).`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> minimal',
    '<%= config.bin %> <%= command.id %> full --dry-run',
    '<%= config.bin %> <%= command.id %> security --add --yes',
  ];
  static override args = { name: Args.string({ required: true, description: 'Preset id or alias (see preset list).' }) };
  static override flags = {
    add: Flags.boolean({ summary: 'Add to the applied presets instead of replacing them.', default: false }),
    'dry-run': dryRunFlag,
    yes: yesFlag,
  };

  override async run(): Promise<PresetChangeResult> {
    const { add, yes } = this.flags;
    const dryRun = this.flags['dry-run'];
    const name = this.args.name;
    const result = dryRun
      ? await this.client.applyPreset(name, { add, dryRun })
      : await this.withConfirmation((confirm) => this.client.applyPreset(name, { add, confirm: confirm || undefined }), yes);
    const lines = presetChangeLines(result, add ? 'added' : 'applied', dryRun);
    // A dry run only plans: it exits 0 whatever the plan holds.
    if (dryRun) this.log(lines.join('\n'));
    else this.finishChange(lines, { touched: result.plan.touched, blocked: result.blocked, failed: result.failed }, result);
    return result;
  }
}

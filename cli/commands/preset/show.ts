/** `preset show NAME`: one preset, its selector and the scenarios it selects now. */
import { Args } from '@oclif/core';
import type { Preset } from '../../api-types';
import { BaseCommand } from '../../base-command';
import { presetDetail } from '../../format';

/** Shows one preset. */
export default class PresetShow extends BaseCommand<typeof PresetShow> {
  static override summary = 'Show a preset: selector, aliases and the scenarios it selects now.';
  static override examples = ['<%= config.bin %> <%= command.id %> off-hours', '<%= config.bin %> <%= command.id %> security-only --json'];
  static override args = { name: Args.string({ required: true, description: 'Preset id or alias.' }) };

  override async run(): Promise<Preset> {
    const preset = await this.client.getPreset(this.args.name);
    this.log(presetDetail(preset));
    return preset;
  }
}

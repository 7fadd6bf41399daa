/** `preset list`: defaults and custom presets, which are applied, and how many scenarios each selects. */
import type { Preset } from '../../api-types';
import { BaseCommand } from '../../base-command';
import { presetTable } from '../../format';

/** Lists presets. */
export default class PresetList extends BaseCommand<typeof PresetList> {
  static override summary = 'List presets: applied or not, default or custom, and what each selects.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  override async run(): Promise<{ presets: Preset[] }> {
    const result = await this.client.listPresets();
    this.log(presetTable(result.presets));
    return result;
  }
}

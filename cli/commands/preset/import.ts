/** `preset import FILE`: custom presets from a YAML or JSON file, all or nothing. */
import { Args, Flags } from '@oclif/core';
import type { ImportResult } from '../../api-types';
import { BaseCommand } from '../../base-command';

/** Imports presets; the file is read here and sent as text, so the server never reads client paths. */
export default class PresetImport extends BaseCommand<typeof PresetImport> {
  static override summary = 'Import presets from a YAML or JSON file (one or many kind: Preset documents).';
  static override description = 'Nothing is imported when any document is invalid; errors name the file, line and field. Defaults are never overwritten.';
  static override examples = ['<%= config.bin %> <%= command.id %> preset.json', '<%= config.bin %> <%= command.id %> team-presets.yaml --overwrite'];
  static override args = { file: Args.string({ required: true, description: 'YAML or JSON file (- reads stdin).' }) };
  static override flags = {
    overwrite: Flags.boolean({ summary: 'Replace custom presets with the same id.', default: false }),
  };

  override async run(): Promise<ImportResult> {
    const { text, source } = await this.readInput(this.args.file);
    const result = await this.client.importPresets({ document: text, source, overwrite: this.flags.overwrite || undefined });
    this.log(`imported ${result.imported.length} preset(s): ${result.imported.map((preset) => `${preset.id} (${preset.scenarios.length} scenarios)`).join(', ')}`);
    return result;
  }
}

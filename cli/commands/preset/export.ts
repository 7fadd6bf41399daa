/** `preset export NAME`: the preset's manifest, as YAML (default) or JSON, ready for `preset import` or `apply -f`. */
import { Args, Flags } from '@oclif/core';
import { parse } from 'yaml';
import { BaseCommand } from '../../base-command';

/** Prints a preset's manifest. */
export default class PresetExport extends BaseCommand<typeof PresetExport> {
  static override summary = 'Print a preset as a manifest (YAML, or JSON with --format json).';
  static override examples = ['<%= config.bin %> <%= command.id %> off-hours > off-hours.yaml', '<%= config.bin %> <%= command.id %> my-preset --format json > preset.json'];
  static override args = { name: Args.string({ required: true, description: 'Preset id or alias.' }) };
  static override flags = {
    format: Flags.option({ summary: 'Output format.', options: ['yaml', 'json'] as const, default: 'yaml' as const })(),
  };

  override async run(): Promise<unknown> {
    const yamlText = await this.client.exportPreset(this.args.name);
    // The server exports YAML only; JSON (and --json) is the same manifest, parsed here.
    const manifest: unknown = parse(yamlText);
    this.log(this.flags.format === 'json' ? JSON.stringify(manifest, null, 2) : yamlText.trimEnd());
    return manifest;
  }
}

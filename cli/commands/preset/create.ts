/** `preset create NAME`: saves the current state as a preset, or a selector given by flags. */
import { Args, Flags } from '@oclif/core';
import type { Preset } from '../../api-types';
import { BaseCommand } from '../../base-command';
import { listFlag } from '../../flags';

/** Creates a custom preset. */
export default class PresetCreate extends BaseCommand<typeof PresetCreate> {
  static override summary = 'Create a custom preset: the scenarios active now, or a selector.';
  static override description = `Without --names or --tags it saves the scenarios active now (a snapshot).
With them it saves a selector: names (ids or globs) and tags (any of), minus --exclude.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> my-preset',
    '<%= config.bin %> <%= command.id %> nightly --tags backup,vacuum --exclude log-rotation --description "night jobs"',
    '<%= config.bin %> <%= command.id %> scanners --names "security-*,dependency-audit"',
  ];
  static override args = { name: Args.string({ required: true, description: 'Preset id: lowercase a-z, 0-9, - . _' }) };
  static override flags = {
    names: listFlag('Scenario ids or globs, comma-separated.'),
    tags: listFlag('Tags, comma-separated (any of them selects).'),
    exclude: listFlag('Ids or globs to leave out, comma-separated.'),
    aliases: listFlag('Other names for the preset, comma-separated.'),
    description: Flags.string({ summary: 'What the preset is for.' }),
  };

  override async run(): Promise<Preset> {
    const { names, tags, exclude, aliases, description } = this.flags;
    const preset = await this.client.createPreset({ name: this.args.name, description, names, tags, exclude, aliases });
    const kind = names?.length || tags?.length ? 'selector' : 'snapshot of the active scenarios';
    this.log(`preset ${preset.id} created (${kind}): selects ${preset.scenarios.length ? preset.scenarios.join(', ') : 'nothing now'}`);
    return preset;
  }
}

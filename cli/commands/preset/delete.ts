/** `preset delete NAME`: removes a custom preset (defaults cannot be deleted). */
import { Args } from '@oclif/core';
import { BaseCommand } from '../../base-command';

/** Deletes a custom preset; if applied, it is first taken out of the applied set. */
export default class PresetDelete extends BaseCommand<typeof PresetDelete> {
  static override summary = 'Delete a custom preset (taking it out of the applied presets first).';
  static override examples = ['<%= config.bin %> <%= command.id %> my-preset'];
  static override args = { name: Args.string({ required: true, description: 'Preset id or alias.' }) };

  override async run(): Promise<{ success: boolean; preset: string }> {
    const result = await this.client.deletePreset(this.args.name);
    this.log(`preset ${result.preset} deleted`);
    return result;
  }
}

/** Preset use cases over the catalog: views with what each selects, create (selector or snapshot), import, delete. */
import type { ActivitySink } from '../activity/activity';
import type { ScenarioRegistry } from '../discovery/registry';
import type { PresetCatalog } from '../presets/preset-catalog';
import { presetToManifest } from '../presets/preset-catalog';
import type { Preset } from '../presets/schema';
import { selectedIds } from '../presets/selector';
import type { ControlService } from './control.service';
import type { StateService } from './state.service';
import { requestedSelector, type CreatePresetInput } from './preset-request';

/** A preset as the API shows it (SPEC 6 shape plus details). */
export interface PresetView {
  id: string;
  name: string;
  description: string;
  isDefault: boolean;
  /** In the applied set now. */
  isActive: boolean;
  aliases: string[];
  selector: Preset['selector'];
  /** Ids it selects among the scenarios discovered now. */
  scenarios: string[];
}

/** What POST /presets answers: the preset, and again under `preset` with `states` (the original's Go CLI reads that). */
export interface CreatedPresetView extends PresetView {
  preset: { id: string; name: string; description: string; states: Record<string, boolean> };
}

/** Preset use cases. */
export class PresetService {
  constructor(
    private readonly catalog: PresetCatalog,
    private readonly registry: ScenarioRegistry,
    private readonly state: StateService,
    private readonly control: ControlService,
    private readonly activity: ActivitySink,
  ) {}

  list(): PresetView[] {
    return this.catalog.list().map((preset) => this.toView(preset));
  }

  view(idOrAlias: string): PresetView {
    return this.toView(this.catalog.get(idOrAlias));
  }

  /** Creates a custom preset from a selector, `states`, or the scenarios active now (see preset-request.ts). */
  async create(input: CreatePresetInput, actor: string): Promise<CreatedPresetView> {
    const activeNow = () => this.control.listScenarios({ state: 'active' }).scenarios.map((view) => view.id);
    const wantsSnapshot = !input.selector && !input.states && !input.names?.length && !input.tags?.length && !input.exclude?.length;
    const { kind, selector } = requestedSelector(input, wantsSnapshot ? activeNow() : [], this.registry.list().map((spec) => spec.id));
    const names = selector.names;
    const preset: Preset = {
      id: input.name,
      description: input.description || (kind === 'snapshot' ? `saved state: ${names.length ? names.join(', ') : 'nothing active'}` : ''),
      aliases: input.aliases ?? [],
      selector,
      isDefault: false,
    };
    const created = await this.catalog.create(preset);
    const how = kind === 'snapshot' ? `snapshot of ${names.length} active` : kind;
    this.activity.record({ category: 'api', actor, preset: created.id, data: { action: 'create-preset' }, message: `preset ${created.id} created (${how})` });
    const view = this.toView(created);
    const states = Object.fromEntries(view.scenarios.map((id) => [id, true]));
    return { ...view, preset: { id: view.id, name: view.name, description: view.description, states } };
  }

  /** The presets in the applied set (GET /presets/active). */
  active(): PresetView[] {
    return this.list().filter((preset) => preset.isActive);
  }

  /** Imports YAML or JSON, one or many documents; all or nothing. */
  async import(text: string, source: string, overwrite: boolean, actor: string): Promise<{ success: true; imported: PresetView[] }> {
    const parsed = this.catalog.parse(text, source);
    const imported = await this.catalog.createMany(parsed, overwrite);
    this.activity.record({ category: 'api', actor, data: { action: 'import-presets' }, message: `imported presets ${imported.map((p) => p.id).join(', ')} from ${source}` });
    return { success: true, imported: imported.map((preset) => this.toView(preset)) };
  }

  /** The YAML manifest of a preset. */
  export(idOrAlias: string): string {
    return this.catalog.export(idOrAlias);
  }

  /** The canonical manifest object (for JSON export). */
  manifest(idOrAlias: string) {
    return presetToManifest(this.catalog.get(idOrAlias));
  }

  /** Deletes a custom preset and takes it out of the applied set. */
  async delete(idOrAlias: string, actor: string): Promise<{ success: true; preset: string }> {
    const preset = this.catalog.get(idOrAlias);
    if (!preset.isDefault && this.state.snapshot().presets.includes(preset.id)) await this.state.removePreset(preset.id, { actor, confirm: true });
    await this.catalog.delete(preset.id);
    this.activity.record({ category: 'api', actor, preset: preset.id, data: { action: 'delete-preset' }, message: `preset ${preset.id} deleted` });
    return { success: true, preset: preset.id };
  }

  private toView(preset: Preset): PresetView {
    return {
      id: preset.id,
      name: preset.id,
      description: preset.description,
      isDefault: preset.isDefault,
      isActive: this.state.snapshot().presets.includes(preset.id),
      aliases: preset.aliases,
      selector: preset.selector,
      scenarios: selectedIds(preset.selector, this.registry.list()),
    };
  }
}

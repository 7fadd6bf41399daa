/**
 * `apply -f`: applies a file of manifests of any kind. Everything is parsed and validated first, so a file
 * with one bad document changes nothing; then each document is applied in order.
 */
import { DomainError } from '../common/domain-error';
import { ManifestError, parseManifests, type ManifestProblem, type RawManifest } from '../presets/manifest';
import { unknownNameMessage } from '../presets/unknown-name';
import type { PresetCatalog } from '../presets/preset-catalog';
import { maintenanceStateFromManifest, policyFromManifest, presetFromManifest, type MaintenanceStateSpec, type Preset } from '../presets/schema';
import type { ChangePlan } from './change-plan';
import type { ControlService } from './control.service';
import type { PolicyService } from './policy.service';
import type { StateService } from './state.service';

/** What applying one document did (or would do, on a dry run). */
export interface AppliedDocument {
  kind: RawManifest['kind'];
  name: string | null;
  result: string;
  plan?: ChangePlan;
  /** MaintenanceState: scenarios whose call failed or did not acknowledge in time (the CLI exits 1). */
  failed?: { scenario: string; message: string }[];
}

/** Handles kinds beyond the built-in ones (schedules register themselves here). */
export interface KindHandler {
  validate(manifest: RawManifest): unknown;
  apply(value: unknown, options: { actor: string; dryRun: boolean }): Promise<string>;
}

/** Applies manifest files. */
export class ManifestApplier {
  private readonly handlers = new Map<string, KindHandler>();

  constructor(
    private readonly state: StateService,
    private readonly control: ControlService,
    private readonly presets: PresetCatalog,
    private readonly policy: PolicyService,
  ) {}

  /** Lets another module (schedules) handle its kind. */
  register(kind: RawManifest['kind'], handler: KindHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Parses, validates all, then applies in order. */
  async apply(text: string, source: string, options: { actor: string; dryRun?: boolean; confirm?: boolean }): Promise<{ success: boolean; dryRun: boolean; documents: AppliedDocument[] }> {
    const validated = parseManifests(text, source).map((manifest) => ({ manifest, value: this.validate(manifest) }));
    this.checkNames(validated);
    const dryRun = options.dryRun ?? false;
    // Confirmation is asked for the file as a whole, before anything in it is applied.
    if (!dryRun) {
      for (const { manifest, value } of validated) {
        if (manifest.kind === 'MaintenanceState') await this.assertConfirmed(value as MaintenanceStateSpec, options);
      }
    }
    const documents: AppliedDocument[] = [];
    for (const { manifest, value } of validated) {
      const name = typeof manifest.metadata.name === 'string' ? manifest.metadata.name : null;
      documents.push({ kind: manifest.kind, name, ...(await this.applyOne(manifest, value, { ...options, dryRun })) });
    }
    return { success: true, dryRun, documents };
  }

  /**
   * Every preset and scenario a MaintenanceState names must exist (a preset may be defined earlier in the
   * same file): otherwise the whole file is refused, naming file, line and the closest known name.
   */
  private checkNames(validated: { manifest: RawManifest; value: unknown }[]): void {
    const problems: ManifestProblem[] = [];
    const defined = new Set<string>();
    const scenarioIds = this.state.scenarioIds();
    const known = new Set(scenarioIds);
    for (const { manifest, value } of validated) {
      if (manifest.kind === 'Preset') defined.add((value as Preset).id);
      if (manifest.kind !== 'MaintenanceState') continue;
      const spec = value as MaintenanceStateSpec;
      const problem = (path: (string | number)[], message: string) => problems.push({ file: manifest.file, line: manifest.lineOf(path), field: path.join('.'), message });
      spec.presets.forEach((id, index) => {
        if (!defined.has(id) && !this.presets.has(id)) problem(['spec', 'presets', index], unknownNameMessage('preset', id, this.presets.list().map((preset) => preset.id)));
      });
      for (const id of Object.keys(spec.overrides)) if (!known.has(id)) problem(['spec', 'overrides', id], unknownNameMessage('scenario', id, scenarioIds));
    }
    if (problems.length) throw new ManifestError(problems);
  }

  private async assertConfirmed(spec: MaintenanceStateSpec, options: { actor: string; confirm?: boolean }): Promise<void> {
    let plan: ChangePlan;
    try {
      plan = await this.state.setDesiredState(spec, { ...options, dryRun: true });
    } catch (error) {
      // A preset defined earlier in the same file does not exist yet; the document is checked again in turn.
      if (error instanceof DomainError && error.details.unknownPreset !== undefined) return;
      throw error;
    }
    this.state.assertConfirmed(plan, options.confirm);
  }

  private validate(manifest: RawManifest): unknown {
    switch (manifest.kind) {
      case 'MaintenanceState':
        return maintenanceStateFromManifest(manifest);
      case 'Preset':
        return presetFromManifest(manifest);
      case 'Policy':
        return policyFromManifest(manifest);
      default: {
        const handler = this.handlers.get(manifest.kind);
        if (!handler) throw new DomainError('Invalid', `${manifest.file}: kind ${manifest.kind} cannot be applied by this server`);
        return handler.validate(manifest);
      }
    }
  }

  private async applyOne(manifest: RawManifest, value: unknown, options: { actor: string; dryRun: boolean; confirm?: boolean }): Promise<{ result: string; plan?: ChangePlan }> {
    switch (manifest.kind) {
      case 'MaintenanceState': {
        const plan = await this.state.setDesiredState(value as ReturnType<typeof maintenanceStateFromManifest>, options);
        if (options.dryRun) return { result: 'planned', plan };
        const { failed } = await this.control.outcome('', plan, {});
        return { result: 'applied', plan, ...(failed.length ? { failed } : {}) };
      }
      case 'Preset': {
        const preset = value as ReturnType<typeof presetFromManifest>;
        const exists = this.presets.has(preset.id);
        if (!options.dryRun) await this.presets.createMany([preset], true);
        return { result: `${options.dryRun ? 'would be ' : ''}${exists ? 'replaced' : 'created'}` };
      }
      case 'Policy': {
        if (!options.dryRun) await this.policy.replace(manifest.spec, options.actor, manifest.file);
        return { result: options.dryRun ? 'would replace the policy' : 'policy replaced' };
      }
      default:
        return { result: await this.handlers.get(manifest.kind)!.apply(value, options) };
    }
  }
}

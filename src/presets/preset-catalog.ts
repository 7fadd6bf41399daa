/**
 * The preset catalog: the shipped defaults (read from manifests/presets at boot, never overwritten) and
 * custom presets kept in the store. Resolves ids and aliases; imports and exports manifests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { unknownNameMessage } from './unknown-name';
import { DomainError } from '../common/domain-error';
import { CHANNELS } from '../store/channels';
import { OwnWrites } from '../store/own-writes';
import type { DocumentRepository, StoredDocument } from '../store/store.port';
import { API_VERSION, ManifestError, parseManifests, type RawManifest } from './manifest';
import { presetFromManifest, SAFE_ID, type Preset, type Selector } from './schema';

/** A preset as stored: its canonical manifest, so that export round-trips exactly. */
export interface PresetManifest {
  apiVersion: typeof API_VERSION;
  kind: 'Preset';
  metadata: { name: string; description?: string; aliases?: string[] };
  spec: { selector: Partial<Selector> };
}

/** Loads and validates every default preset manifest in a directory; throws ManifestError naming the file. */
export function loadDefaultPresets(dir: string): Preset[] {
  const files = fs.readdirSync(dir).filter((file) => /\.ya?ml$/.test(file)).sort();
  const presets: Preset[] = [];
  for (const file of files) {
    const full = path.join(dir, file);
    for (const manifest of parseManifests(fs.readFileSync(full, 'utf8'), full)) {
      if (manifest.kind !== 'Preset') continue;
      presets.push(presetFromManifest(manifest, true));
    }
  }
  return presets;
}

/** The canonical manifest of a preset. */
export function presetToManifest(preset: Preset): PresetManifest {
  const selector: Partial<Selector> = {};
  if (preset.selector.names.length) selector.names = preset.selector.names;
  if (preset.selector.tags.length) selector.tags = preset.selector.tags;
  if (preset.selector.exclude.length) selector.exclude = preset.selector.exclude;
  const metadata: PresetManifest['metadata'] = { name: preset.id };
  if (preset.description) metadata.description = preset.description;
  if (preset.aliases.length) metadata.aliases = preset.aliases;
  return { apiVersion: API_VERSION, kind: 'Preset', metadata, spec: { selector } };
}

/** Default and custom presets, looked up by id or alias. */
export class PresetCatalog {
  private readonly defaults = new Map<string, Preset>();
  private custom = new Map<string, Preset>();
  private aliases = new Map<string, string>();
  private byIdCache: Map<string, Preset> | null = null;
  /**
   * Each stored custom preset's body as text (unreadable rows too): a reload parses only the rows that
   * changed, since replicas reload on every write and a catalog may hold thousands.
   */
  private storedText = new Map<string, string>();
  /** This replica's writes of custom presets (a read of the store during one is older than what is held). */
  readonly writes = new OwnWrites();

  constructor(
    defaults: Preset[],
    private readonly repository: DocumentRepository,
  ) {
    for (const preset of defaults) this.defaults.set(preset.id, preset);
    this.reindex();
  }

  /** Loads custom presets from the store; call once at boot. */
  async load(): Promise<void> {
    this.adopt(await this.read());
  }

  /** The stored custom presets (HA: what another replica may have written). */
  read(): Promise<StoredDocument[]> {
    return this.repository.list();
  }

  /** Takes the stored custom presets when they differ from those held (another replica wrote); true when they did. */
  adopt(documents: readonly StoredDocument[]): boolean {
    const next = new Map<string, Preset>();
    const texts = new Map<string, string>();
    let changed = documents.length !== this.storedText.size;
    for (const document of documents) {
      const text = JSON.stringify(document.body);
      texts.set(document.id, text);
      if (this.storedText.get(document.id) === text) {
        const kept = this.custom.get(document.id);
        if (kept) next.set(document.id, kept);
        continue;
      }
      changed = true;
      const preset = presetFromStored(document.body, document.id);
      if (preset) next.set(preset.id, preset);
    }
    this.storedText = texts;
    if (!changed) return false;
    this.custom = next;
    this.reindex();
    return true;
  }

  /** Every preset, defaults first, then custom by id. */
  list(): Preset[] {
    return [...this.defaults.values(), ...[...this.custom.values()].sort((a, b) => a.id.localeCompare(b.id))];
  }

  /** A map of id to preset, for resolution of the desired state; the same map until the catalog changes. */
  byId(): ReadonlyMap<string, Preset> {
    this.byIdCache ??= new Map(this.list().map((preset) => [preset.id, preset]));
    return this.byIdCache;
  }

  /**
   * The preset with this id or alias. Unknown: NotFound for an id in a URL; Invalid (400) for a name
   * inside a body (`named: 'body'`), since there the request, not the resource, is wrong.
   */
  get(idOrAlias: string, named: 'url' | 'body' = 'url'): Preset {
    const id = this.aliases.get(idOrAlias) ?? idOrAlias;
    const preset = this.defaults.get(id) ?? this.custom.get(id);
    if (!preset) throw this.unknown(idOrAlias, named);
    return preset;
  }

  /** The error for a preset name that names nothing, with the closest match and the known ids. */
  unknown(idOrAlias: string, named: 'url' | 'body' = 'url'): DomainError {
    const message = unknownNameMessage('preset', idOrAlias, this.list().map((preset) => preset.id));
    return new DomainError(named === 'url' ? 'NotFound' : 'Invalid', message, { unknownPreset: idOrAlias });
  }

  /** True when a preset with this id or alias exists. */
  has(idOrAlias: string): boolean {
    const id = this.aliases.get(idOrAlias) ?? idOrAlias;
    return this.defaults.has(id) || this.custom.has(id);
  }

  /** Creates one custom preset; Conflict when the id or an alias is taken. */
  async create(preset: Preset): Promise<Preset> {
    const [created] = await this.createMany([preset], false);
    return created;
  }

  /** Validates all, then writes all: an import either lands whole or changes nothing. */
  async createMany(presets: Preset[], overwrite: boolean): Promise<Preset[]> {
    const seen = new Set<string>();
    for (const preset of presets) {
      this.assertWritable(preset, overwrite);
      for (const name of [preset.id, ...preset.aliases]) {
        if (seen.has(name)) throw new DomainError('Conflict', `"${name}" appears twice in this import`);
        seen.add(name);
      }
    }
    await this.writes.run(async () => {
      for (const preset of presets) {
        const custom: Preset = { ...preset, isDefault: false };
        const manifest = presetToManifest(custom);
        if (overwrite) await this.repository.put(custom.id, manifest, PRESETS_CHANGED);
        else await this.repository.create(custom.id, manifest, PRESETS_CHANGED);
        this.custom.set(custom.id, custom);
        this.storedText.set(custom.id, JSON.stringify(manifest));
      }
      this.reindex();
    });
    return presets.map((preset) => this.get(preset.id));
  }

  /** Parses a YAML or JSON text of one or many Preset documents. */
  parse(text: string, source: string): Preset[] {
    const manifests = parseManifests(text, source);
    const wrong = manifests.filter((manifest) => manifest.kind !== 'Preset');
    if (wrong.length) {
      throw new ManifestError(wrong.map((manifest: RawManifest) => ({ file: source, line: manifest.lineOf(['kind']), field: 'kind', message: `must be Preset here, got ${manifest.kind}` })));
    }
    return manifests.map((manifest) => presetFromManifest(manifest));
  }

  /** The YAML of a preset, for export. */
  export(idOrAlias: string): string {
    return stringify(presetToManifest(this.get(idOrAlias)));
  }

  /** Deletes a custom preset; defaults are refused (Conflict). */
  async delete(idOrAlias: string): Promise<Preset> {
    const preset = this.get(idOrAlias);
    if (preset.isDefault) throw new DomainError('Conflict', `preset "${preset.id}" is a default and cannot be deleted`);
    await this.writes.run(async () => {
      await this.repository.delete(preset.id, PRESETS_CHANGED);
      this.custom.delete(preset.id);
      this.storedText.delete(preset.id);
      this.reindex();
    });
    return preset;
  }

  private assertWritable(preset: Preset, overwrite: boolean): void {
    if (!SAFE_ID.test(preset.id)) throw new DomainError('Invalid', `"${preset.id}" is not a valid preset id: lowercase letters, digits, - . _`);
    for (const name of [preset.id, ...preset.aliases]) {
      const owner = this.aliases.get(name) ?? (this.defaults.has(name) || this.custom.has(name) ? name : null);
      if (owner === null) continue;
      if (this.defaults.has(owner)) throw new DomainError('Conflict', `"${name}" belongs to the default preset "${owner}", which cannot be overwritten`);
      if (!overwrite || owner !== preset.id) throw new DomainError('Conflict', `preset "${owner}" already uses the name "${name}"`);
    }
  }

  private reindex(): void {
    this.byIdCache = null;
    this.aliases = new Map();
    for (const preset of this.list()) for (const alias of preset.aliases) this.aliases.set(alias, preset.id);
  }
}

/** The notice every custom preset write sends, so the other replicas read them again (SPEC 9). */
const PRESETS_CHANGED = { channel: CHANNELS.presets };

function presetFromStored(body: unknown, id: string): Preset | null {
  try {
    const [manifest] = parseManifests(JSON.stringify(body), `store:presets/${id}`);
    return presetFromManifest(manifest);
  } catch {
    return null; // a row the current schema cannot read is skipped rather than fatal
  }
}

/**
 * The notifiers in force: applied with `apply -f` (kind Notifier), kept in the store's settings so they
 * survive a restart, listed without their secrets, deleted by name.
 */
import type { ActivitySink } from '../activity/activity';
import { DomainError } from '../common/domain-error';
import type { RawManifest } from '../presets/manifest';
import { CHANNELS } from '../store/channels';
import { OwnWrites } from '../store/own-writes';
import type { SettingRepository } from '../store/store.port';
import { notifierFromManifest, type NotifierSpec } from './notifier-manifest';

const NOTIFIERS_KEY = 'notifiers';
/** The notice every write sends, so the other replicas read the notifiers again (SPEC 9). */
const NOTIFIERS_CHANGED = { channel: CHANNELS.notifiers };

/** A notifier as the API lists it: the secret is never shown, only whether there is one. */
export type NotifierView = Omit<NotifierSpec, 'secret'> & { signed: boolean };

/** Holds the notifiers; the dispatcher and the alert publisher read `list()` on every event. */
export class NotifierRegistry {
  private notifiers: readonly NotifierSpec[] = [];
  private readonly listeners: (() => void)[] = [];
  /** This replica's notifier writes (a read of the store during one is older than what is held). */
  readonly writes = new OwnWrites();

  constructor(
    private readonly settings: SettingRepository,
    private readonly activity: ActivitySink,
  ) {}

  /** Loads the stored notifiers at boot. */
  async load(): Promise<void> {
    this.notifiers = await this.read();
  }

  /** The stored notifiers (HA: what another replica may have written). */
  async read(): Promise<NotifierSpec[]> {
    return (await this.settings.get<NotifierSpec[]>(NOTIFIERS_KEY)) ?? [];
  }

  /** Takes the stored notifiers when they differ from those held (another replica wrote); true when they did. */
  adopt(stored: NotifierSpec[]): boolean {
    if (JSON.stringify(stored) === JSON.stringify(this.notifiers)) return false;
    this.notifiers = stored;
    for (const listener of this.listeners) listener();
    return true;
  }

  /** Calls `listener` whenever the notifiers change (saved here, or read from another replica's write). */
  onSaved(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Every notifier, secrets included (for delivery); the same array until one is saved or deleted. */
  list(): readonly NotifierSpec[] {
    return this.notifiers;
  }

  /** Every notifier without its secret, for GET /api/v1/notifiers and `notifier list`. */
  views(): NotifierView[] {
    return this.notifiers.map(({ secret, ...rest }) => ({ ...rest, signed: secret !== null }));
  }

  /** Creates or replaces a notifier by name, and persists the list. */
  async save(spec: NotifierSpec, actor: string): Promise<'created' | 'replaced'> {
    const replaced = this.notifiers.some((notifier) => notifier.name === spec.name);
    const next = [...this.notifiers.filter((notifier) => notifier.name !== spec.name), spec].sort((a, b) => a.name.localeCompare(b.name));
    await this.writes.run(async () => {
      await this.settings.set(NOTIFIERS_KEY, next, NOTIFIERS_CHANGED);
      this.notifiers = next;
    });
    for (const listener of this.listeners) listener();
    this.activity.record({ category: 'notification', actor, message: `notifier ${spec.name} (${spec.type}) ${replaced ? 'replaced' : 'created'}: ${spec.events.join(' ') || 'maintenance alerts'}`, data: { notifier: spec.name, action: 'apply' } });
    return replaced ? 'replaced' : 'created';
  }

  /** One notifier, secret included (for `notifier test`); an unknown name is NotFound. */
  get(name: string): NotifierSpec {
    const found = this.notifiers.find((notifier) => notifier.name === name);
    if (!found) throw new DomainError('NotFound', `notifier ${name} does not exist (known: ${this.notifiers.map((notifier) => notifier.name).join(', ') || 'none'})`);
    return found;
  }

  /** Deletes a notifier; an unknown name is NotFound and changes nothing. */
  async delete(name: string, actor: string): Promise<void> {
    this.get(name);
    const next = this.notifiers.filter((notifier) => notifier.name !== name);
    await this.writes.run(async () => {
      await this.settings.set(NOTIFIERS_KEY, next, NOTIFIERS_CHANGED);
      this.notifiers = next;
    });
    this.activity.record({ category: 'notification', actor, message: `notifier ${name} deleted`, data: { notifier: name, action: 'delete' } });
  }
}

/** `apply -f` support for kind Notifier: register with `applier.register('Notifier', notifierKindHandler(registry))`. */
export function notifierKindHandler(registry: NotifierRegistry) {
  return {
    validate: (manifest: RawManifest): NotifierSpec => notifierFromManifest(manifest),
    async apply(value: unknown, options: { actor: string; dryRun: boolean }): Promise<string> {
      const spec = value as NotifierSpec;
      if (options.dryRun) return `would save notifier ${spec.name} (${spec.type})`;
      return `notifier ${spec.name} ${await registry.save(spec, options.actor)}`;
    },
  };
}

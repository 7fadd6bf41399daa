/**
 * The shared inventory (SPEC 9, PostgreSQL only): the leader scans, then publishes what it sees; followers
 * stop scanning and serve what it published. With SQLite nothing here runs: the one process scans and serves
 * its own loop's state.
 */
import { Inject, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { TIMERS, type Timers } from '../common/timers';
import type { Config } from '../config/config';
import { CLOCK, CONFIG } from '../config/config.module';
import { DiscoveryModule } from '../discovery/discovery.module';
import { ScenarioRegistry } from '../discovery/registry';
import { SharedRegistrations } from '../discovery/shared-registrations';
import { LeaderElector } from '../leader/leader-elector';
import { LeaderModule } from '../leader/leader.module';
import { Reconciler } from '../reconciler/reconciler';
import { ReconcilerModule } from '../reconciler/reconciler.module';
import { ControlService } from '../state/control.service';
import { StateModule } from '../state/state.module';
import { STORE, StoreModule } from '../store/store.module';
import type { Store } from '../store/store.port';
import type { SeenScenario } from './inventory-diff';
import { InventoryMirror } from './inventory-mirror';
import { InventoryPublisher } from './inventory-publisher';

/** Everything the leader sees, scenario by scenario, in the registry's order. */
function* seenBy(registry: ScenarioRegistry, reconciler: Reconciler): Iterable<SeenScenario> {
  for (const spec of registry.list()) {
    yield { spec, gone: registry.isGone(spec.id), verdict: reconciler.verdicts.get(spec.id), observed: reconciler.observed.get(spec.id) };
  }
}

/** Provides InventoryPublisher and InventoryMirror in HA mode (null with SQLite). */
@Module({
  imports: [StoreModule, DiscoveryModule, ReconcilerModule, LeaderModule, StateModule],
  providers: [
    {
      provide: InventoryPublisher,
      useFactory: (store: Store, registry: ScenarioRegistry, reconciler: Reconciler, timers: Timers, clock: () => number) =>
        store.kind === 'postgres' ? new InventoryPublisher(store.inventory, { seen: () => seenBy(registry, reconciler) }, timers, clock) : null,
      inject: [STORE, ScenarioRegistry, Reconciler, TIMERS, CLOCK],
    },
    {
      provide: InventoryMirror,
      useFactory: (store: Store, registry: ScenarioRegistry, reconciler: Reconciler, control: ControlService, elector: LeaderElector, timers: Timers) =>
        store.kind === 'postgres'
          ? new InventoryMirror(
              store,
              {
                adoptScan: (specs) => registry.adoptScan(specs),
                forget: (id) => registry.forget(id),
                observed: reconciler.observed,
                verdicts: () => reconciler.verdicts,
                changed: () => control.invalidate(),
              },
              () => elector.role === 'leader',
              timers,
            )
          : null,
      inject: [STORE, ScenarioRegistry, Reconciler, ControlService, LeaderElector, TIMERS],
    },
  ],
  exports: [InventoryMirror],
})
export class InventoryModule implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(InventoryPublisher) private readonly publisher: InventoryPublisher | null,
    @Inject(InventoryMirror) private readonly mirror: InventoryMirror | null,
    @Inject(SharedRegistrations) private readonly registrations: SharedRegistrations | null,
    private readonly registry: ScenarioRegistry,
    private readonly reconciler: Reconciler,
    private readonly elector: LeaderElector,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /**
   * A new leader reads the registrations and scans before its first pass (the scan replaces what it followed),
   * then publishes; a replica that steps down stops scanning and publishing, and reads the inventory afresh.
   */
  onModuleInit(): void {
    const { publisher, mirror, registrations } = this;
    if (!publisher || !mirror) return;
    this.elector.onLeadership({
      prepare: async () => {
        await registrations?.refresh();
        await this.registry.start(this.config.discoveryIntervalMs).catch(() => undefined);
      },
      lead: () => publisher.start(),
      follow: () => {
        publisher.stop();
        this.registry.stop();
        mirror.reset();
        void mirror.refresh().catch(() => undefined);
      },
    });
    const changed = () => publisher.changed();
    this.reconciler.on('pass', changed);
    this.reconciler.on('outcome', changed);
    this.registry.onChange(changed);
  }

  /** After the election's first attempt (ReconcilerModule sits below this one): a follower lists what the leader published. */
  async onApplicationBootstrap(): Promise<void> {
    await this.mirror?.start();
  }

  beforeApplicationShutdown(): void {
    this.publisher?.stop();
    this.mirror?.stop();
  }
}

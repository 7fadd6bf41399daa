/**
 * Kubernetes-style probes (terminus): GET /healthz (liveness: the process answers) and GET /readyz (ready
 * once discovery has scanned, the store answers and the loop has run its first pass). Outside /api/v1 and
 * without a token, so a kubelet or a load balancer can call them.
 */
import { Requires } from './roles';
import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ScenarioRegistry } from '../discovery/registry';
import { Reconciler } from '../reconciler/reconciler';
import { LeaderElector } from '../leader/leader-elector';
import { STORE } from '../store/store.module';
import type { Store } from '../store/store.port';

/** A store that does not answer a read within this is not ready. */
const STORE_PING_TIMEOUT_MS = 2_000;

@ApiTags('health')
@Controller()
export class ProbesController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: ScenarioRegistry,
    @Inject(STORE) private readonly persistence: Store,
    private readonly loop: Reconciler,
    private readonly elector: LeaderElector,
  ) {}

  /** Liveness stays trivial: a slow fleet or a failing store must never get the process restarted. */
  @Get('healthz')
  @Requires('public')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness probe', description: '200 while the process serves requests.' })
  liveness(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) })]);
  }

  /** Readiness: 503 with the failing parts until discovery, the store and the loop are up. */
  @Get('readyz')
  @Requires('public')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness probe', description: '200 once discovery has scanned, the store answers and the reconciler has run (on the leader); 503 with the failing parts otherwise. `leader` shows this replica\'s role and the leader {id, epoch, since}.' })
  async readiness(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.discovery(), () => this.store(), () => this.reconciler(), () => this.leadership()]);
    } catch (error: unknown) {
      // Answer terminus's own body (which part is down), not the API's generic error shape.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }

  private discovery(): HealthIndicatorResult {
    const { registry } = this;
    const check = this.indicators.check('discovery');
    return registry.hasScanned ? check.up({ scenarios: registry.list().length }) : check.down({ message: 'the scenarios directory has not been scanned yet' });
  }

  private async store(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('store');
    const store = this.persistence;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${STORE_PING_TIMEOUT_MS} ms`)), STORE_PING_TIMEOUT_MS);
      });
      await Promise.race([store.settings.get('readiness-probe'), timeout]);
      return check.up({ kind: store.kind });
    } catch (error: unknown) {
      return check.down({ kind: store.kind, message: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  }

  /** SPEC 9: the role and the leader. A follower is ready: it serves the whole API. */
  private leadership(): HealthIndicatorResult {
    const { role, leader } = this.elector;
    return this.indicators.check('leader').up({ role, leader });
  }

  private reconciler(): HealthIndicatorResult {
    const check = this.indicators.check('reconciler');
    // Only the leader loops; a follower's loop waits for the lead, which is not a fault.
    if (this.elector.role === 'follower') return check.up({ role: 'follower' });
    const last = this.loop.lastPass;
    return last ? check.up({ lastPassAt: new Date(last.at).toISOString() }) : check.down({ message: 'the reconcile loop has not run yet' });
  }
}

/**
 * The metrics module: this orchestrator's PrometheusMetrics (its own registry) and the observer the loop
 * reports to. The fleet gauges are attached by StateModule, which owns the read models they sample.
 */
import { Module } from '@nestjs/common';
import { EDGES, type EdgeOverrides } from '../config/config.module';
import type { ReconcilerObserver } from '../reconciler/reconciler';
import { combineObservers } from './observers';
import { PrometheusMetrics } from './prometheus-metrics';

/** What the reconcile loop reports to: the metrics, plus an edge's observer when one was given. */
export const RECONCILER_OBSERVER = Symbol('RECONCILER_OBSERVER');

/** Provides PrometheusMetrics and RECONCILER_OBSERVER. */
@Module({
  providers: [
    { provide: PrometheusMetrics, useFactory: () => new PrometheusMetrics() },
    { provide: RECONCILER_OBSERVER, useFactory: (metrics: PrometheusMetrics, edges: EdgeOverrides): ReconcilerObserver => combineObservers(metrics, edges.observer), inject: [PrometheusMetrics, EDGES] },
  ],
  exports: [PrometheusMetrics, RECONCILER_OBSERVER],
})
export class MetricsModule {}

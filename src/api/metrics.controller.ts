/** GET /metrics: the Prometheus exposition of this orchestrator (its own registry), outside /api/v1 and without a token. */
import { Requires } from './roles';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PrometheusMetrics } from '../metrics/prometheus-metrics';

@ApiTags('observability')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: PrometheusMetrics) {}

  /** Renders the exposition; per-scenario gauges are read from one snapshot of the fleet. */
  @Get('metrics')
  @Requires('public')
  @ApiOperation({ summary: 'Prometheus metrics', description: 'Text exposition format 0.0.4: reconciler, scenarios, actions, gates, windows, discovery, plus process and Node.js metrics.' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The exposition.', schema: { type: 'string', example: 'maintenance_scenario_active{scenario="backup"} 1' } })
  async scrape(@Res() response: Response): Promise<void> {
    const body = await this.metrics.render();
    // Written as is: Express's send() would rewrite the content type's parameters.
    response.status(200).setHeader('content-type', this.metrics.contentType);
    response.setHeader('cache-control', 'no-store');
    response.end(body);
  }
}

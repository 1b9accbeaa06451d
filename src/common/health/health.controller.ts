import { Controller, Get, Header, HttpCode, Res } from '@nestjs/common';
import type { Response } from 'express';
import { MetricsService } from '../metrics/metrics.service';
import { DatabaseHealthService } from './database-health.service';

@Controller()
export class HealthController {
  constructor(
    private readonly db: DatabaseHealthService,
    private readonly metrics: MetricsService,
  ) {}

  /** Liveness: the process is up and its event loop turns. */
  @Get('healthz')
  @HttpCode(200)
  healthz() {
    return { status: 'ok' };
  }

  /** Readiness: the database answers. */
  @Get('readyz')
  async readyz(@Res() res: Response) {
    const ok = await this.db.check();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unavailable', database: ok ? 'up' : 'down' });
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async metricsText() {
    return this.metrics.render();
  }
}

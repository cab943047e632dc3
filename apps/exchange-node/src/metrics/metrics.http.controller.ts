import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { NodeMetrics } from '@app/observability';
import { METRICS } from '../shared/tokens';

/** Prometheus text format. Unauthenticated like /health: it carries counts and codes, never message contents. */
@ApiTags('health')
@Controller('metrics')
export class MetricsHttpController {
  constructor(@Inject(METRICS) private readonly metrics: NodeMetrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4')
  text(): Promise<string> {
    return this.metrics.text();
  }
}

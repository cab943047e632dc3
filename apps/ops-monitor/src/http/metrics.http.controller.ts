import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { MonitorMetrics } from '../shared/monitor.metrics';
import { MONITOR_METRICS } from '../shared/tokens';

/** Prometheus text format, unauthenticated like a node's: counts only, no ids. */
@Controller('metrics')
export class MetricsHttpController {
  constructor(@Inject(MONITOR_METRICS) private readonly metrics: MonitorMetrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4')
  text(): Promise<string> {
    return this.metrics.text();
  }
}

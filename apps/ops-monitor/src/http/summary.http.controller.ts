import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { OpsTokenGuard } from '../auth/ops-token.guard';
import type { MonitorHub } from '../live/monitor.hub';
import type { MonitorSummary } from '../shared/monitor-summary';
import { MONITOR_HUB } from '../shared/tokens';

@Controller('api/summary')
@UseGuards(OpsTokenGuard)
export class SummaryHttpController {
  constructor(@Inject(MONITOR_HUB) private readonly hub: MonitorHub) {}

  /** Everything the dashboard shows, computed now. */
  @Get()
  summary(): MonitorSummary {
    return this.hub.summary();
  }
}

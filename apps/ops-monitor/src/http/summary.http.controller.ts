import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { BearerAuthGuard, Roles } from '@app/api-edge';
import type { MonitorHub } from '../live/monitor.hub';
import type { MonitorSummary } from '../shared/monitor-summary';
import { MONITOR_HUB } from '../shared/tokens';

@Controller('api/summary')
// The monitor's API and stream are for ops clients; tokens only in the Authorization header, never in a URL.
@UseGuards(BearerAuthGuard)
@Roles('ops')
export class SummaryHttpController {
  constructor(@Inject(MONITOR_HUB) private readonly hub: MonitorHub) {}

  /** Everything the dashboard shows, computed now. */
  @Get()
  summary(): MonitorSummary {
    return this.hub.summary();
  }
}

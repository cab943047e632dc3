import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import type { TrailQuery } from '../aggregation/flow.monitor';
import type { TrailStep } from '../aggregation/trail.index';
import { BearerAuthGuard, Roles } from '@app/api-edge';
import type { MonitorHub } from '../live/monitor.hub';
import { MONITOR_HUB } from '../shared/tokens';
import { parseTrailQuery } from './trail.query';

@Controller('api/trail')
// The monitor's API and stream are for ops clients; tokens only in the Authorization header, never in a URL.
@UseGuards(BearerAuthGuard)
@Roles('ops')
export class TrailHttpController {
  constructor(@Inject(MONITOR_HUB) private readonly hub: MonitorHub) {}

  /** All flow events of a message or a conversation across nodes, in time order (empty if none is held). */
  @Get()
  trail(@Query() query: Record<string, unknown>): { query: TrailQuery; steps: TrailStep[] } {
    const q = parseTrailQuery(query);
    return { query: q, steps: this.hub.trail(q) };
  }
}

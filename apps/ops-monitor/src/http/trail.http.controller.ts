import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import type { TrailQuery } from '../aggregation/flow.monitor';
import type { TrailStep } from '../aggregation/trail.index';
import { OpsTokenGuard } from '../auth/ops-token.guard';
import type { MonitorHub } from '../live/monitor.hub';
import { MONITOR_HUB } from '../shared/tokens';
import { parseTrailQuery } from './trail.query';

@Controller('api/trail')
@UseGuards(OpsTokenGuard)
export class TrailHttpController {
  constructor(@Inject(MONITOR_HUB) private readonly hub: MonitorHub) {}

  /** All flow events of a message or a conversation across nodes, in time order (empty if none is held). */
  @Get()
  trail(@Query() query: Record<string, unknown>): { query: TrailQuery; steps: TrailStep[] } {
    const q = parseTrailQuery(query);
    return { query: q, steps: this.hub.trail(q) };
  }
}

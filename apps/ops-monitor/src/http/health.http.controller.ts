import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { FlowSource } from '../ingest/flow.source';
import { FLOW_SOURCE } from '../shared/tokens';

/** Liveness and readiness of the monitor itself: ready while it consumes the flow topic. 503 when not. */
@Controller('health')
export class HealthHttpController {
  constructor(@Inject(FLOW_SOURCE) private readonly source: FlowSource) {}

  @Get()
  health(@Res({ passthrough: true }) res: Response) {
    const ready = this.source.isRunning;
    res.status(ready ? 200 : 503);
    return {
      status: ready ? 'ready' : 'not-ready',
      checks: { flowConsumer: { ok: ready, detail: this.source.description } },
    };
  }
}

import type { MessageEvent } from '@nestjs/common';
import { bufferTime, defer, filter, finalize, map, merge, type Observable } from 'rxjs';
import type { MonitorMetrics } from '../shared/monitor.metrics';
import type { MonitorHub } from './monitor.hub';

/** Flow events are sent in small batches: at thousands per second, one SSE message each would swamp a browser. */
const FLOW_BATCH_MS = 250;
const MAX_EVENTS_PER_BATCH = 200;

/**
 * What one dashboard receives over `GET /api/stream`: the current summary at once and then every
 * second (`summary`), and the new flow events as they arrive (`flow`, batched; `dropped` counts the
 * ones left out of a full batch — the summary still counts them).
 */
export class LiveStream {
  constructor(
    private readonly hub: MonitorHub,
    private readonly metrics: MonitorMetrics,
  ) {}

  open(): Observable<MessageEvent> {
    return defer(() => {
      this.metrics.sseClients.inc();
      return merge(
        this.hub.summaries$.pipe(map((summary) => ({ type: 'summary', data: summary }))),
        this.hub.events$.pipe(
          bufferTime(FLOW_BATCH_MS),
          filter((batch) => batch.length > 0),
          map((batch) => ({
            type: 'flow',
            data: {
              events: batch.slice(-MAX_EVENTS_PER_BATCH),
              dropped: Math.max(0, batch.length - MAX_EVENTS_PER_BATCH),
            },
          })),
        ),
      ).pipe(finalize(() => this.metrics.sseClients.dec()));
    });
  }
}

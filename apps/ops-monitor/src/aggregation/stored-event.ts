import type { FlowEvent } from '@app/observability';

/** A flow event held in the monitor's window: the event as received, plus what the monitor needs to order it. */
export interface StoredEvent {
  readonly event: FlowEvent;
  /** `event.at` in epoch milliseconds (parsed once). */
  readonly atMs: number;
  /** Arrival order, a tie-breaker for events with the same timestamp. */
  readonly seq: number;
}

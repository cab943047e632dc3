import type { FlowEvent } from '@app/observability';
import { EventRing } from './event.ring';
import { LatencyAggregator, type LatencyView } from './latency.aggregator';
import { LinkAggregator, type LinkView } from './link.aggregator';
import { OverdueTracker, type OverdueView } from './overdue.tracker';
import { RefusalAggregator, type RefusalView } from './refusal.aggregator';
import type { StoredEvent } from './stored-event';
import { TrailIndex, type TrailStep } from './trail.index';

export interface FlowMonitorOptions {
  /** Hard cap on events held (ring buffer); at about 0.5 KB each, 200k is ~100 MB. */
  readonly maxEvents: number;
  /** Events are held this long after they arrived; counts and refusals cover this window. */
  readonly historyMs: number;
  /** A message waiting this long for its next stage is listed as overdue. */
  readonly overdueAfterMs: number;
  readonly latencyWindowMs?: number;
  readonly maxLatencySamples?: number;
  readonly maxTrackedMessages?: number;
}

export interface IngestStats {
  readonly ingested: number;
  /** Records that were not a valid flow event (counted by the consumer, skipped). */
  readonly invalid: number;
  /** Valid events whose own time was already older than the history window. */
  readonly stale: number;
  /** Events pushed out by the capacity cap before their time was up: non-zero means the window is shorter than configured. */
  readonly evictedEarly: number;
  readonly held: number;
  readonly capacity: number;
  readonly trackedMessages: number;
  readonly forgottenMessages: number;
}

export interface FlowView {
  readonly links: readonly LinkView[];
  readonly latency: LatencyView;
  readonly refusals: readonly RefusalView[];
  readonly overdue: { readonly total: number; readonly items: readonly OverdueView[] };
  readonly ingest: IngestStats;
}

export type TrailQuery = { readonly messageId: string } | { readonly conversationId: string };

interface HeldEvent extends StoredEvent {
  readonly arrivedMs: number;
}

/**
 * The monitor's model of the network's flow, built only from flow events (metadata, never payloads).
 * Pure: time is passed in, nothing is read or scheduled here, so every figure on the dashboard can be
 * tested with a hand-made event stream.
 *
 * Memory is bounded twice: events live in a fixed-capacity ring (`maxEvents`) and leave it once they
 * arrived more than `historyMs` ago. Link counts, refusals and the trail index follow the ring
 * exactly (counted in on arrival, out on eviction). Rates and latency keep their own fixed-size
 * windows (5 minutes), and the overdue tracker its own cap.
 */
export class FlowMonitor {
  private readonly ring: EventRing<HeldEvent>;
  private readonly links = new LinkAggregator();
  private readonly refusals = new RefusalAggregator();
  private readonly trails = new TrailIndex();
  private readonly latency: LatencyAggregator;
  private readonly overdue: OverdueTracker;
  private seq = 0;
  private readonly stats = { ingested: 0, invalid: 0, stale: 0, evictedEarly: 0 };

  constructor(private readonly options: FlowMonitorOptions) {
    this.ring = new EventRing(options.maxEvents);
    this.latency = new LatencyAggregator(
      options.latencyWindowMs ?? 300_000,
      options.maxLatencySamples ?? 50_000,
    );
    this.overdue = new OverdueTracker(options.maxTrackedMessages ?? 50_000);
  }

  /** Takes one valid flow event; returns the event as held (completed from its message's earlier events), or undefined if stale. */
  ingest(event: FlowEvent, nowMs: number): FlowEvent | undefined {
    const atMs = Date.parse(event.at);
    if (!Number.isFinite(atMs) || atMs < nowMs - this.options.historyMs) {
      this.stats.stale += 1;
      return undefined;
    }
    this.evictExpired(nowMs);
    const held: HeldEvent = { event: this.complete(event), atMs, seq: this.seq++, arrivedMs: nowMs };
    const pushedOut = this.ring.push(held);
    if (pushedOut) {
      this.stats.evictedEarly += 1;
      this.forget(pushedOut);
    }
    this.links.add(held, nowMs);
    this.refusals.add(held);
    this.trails.add(held);
    this.latency.add(held.event, atMs);
    this.overdue.add(held.event, atMs);
    this.stats.ingested += 1;
    return held.event;
  }

  /** Events held now (without evicting first: cheap enough for a metrics scrape). */
  get held(): number {
    return this.ring.size;
  }

  countInvalid(): void {
    this.stats.invalid += 1;
  }

  /** Drops events that arrived more than the history window ago. Called on every ingest and before every view. */
  evictExpired(nowMs: number): void {
    const from = nowMs - this.options.historyMs;
    for (let oldest = this.ring.oldest(); oldest && oldest.arrivedMs < from; oldest = this.ring.oldest()) {
      this.ring.shift();
      this.forget(oldest);
    }
  }

  view(nowMs: number): FlowView {
    this.evictExpired(nowMs);
    return {
      links: this.links.view(nowMs),
      latency: this.latency.view(nowMs),
      refusals: this.refusals.view(),
      overdue: this.overdue.overdue(nowMs, this.options.overdueAfterMs, 100),
      ingest: {
        ...this.stats,
        held: this.ring.size,
        capacity: this.ring.capacity,
        trackedMessages: this.overdue.tracked,
        forgottenMessages: this.overdue.forgotten,
      },
    };
  }

  trail(query: TrailQuery): TrailStep[] {
    return 'messageId' in query
      ? this.trails.byMessage(query.messageId)
      : this.trails.byConversation(query.conversationId);
  }

  private forget(held: HeldEvent): void {
    this.links.remove(held);
    this.refusals.remove(held);
    this.trails.remove(held);
  }

  /**
   * The outbox relay's publish event names no conversation or agreement; the submit before it did.
   * Filling them in puts the publish on the right link and in the conversation's trail. Only
   * FlowEvent keys are copied, so nothing else can reach the dashboard this way.
   */
  private complete(event: FlowEvent): FlowEvent {
    const known = event.messageId ? this.trails.known(event.messageId) : undefined;
    if (!known) return event;
    const conversationId = event.conversationId ?? known.conversationId;
    const agreementId = event.agreementId ?? known.agreementId;
    const type = event.type ?? known.type;
    return {
      ...event,
      ...(conversationId ? { conversationId } : {}),
      ...(agreementId ? { agreementId } : {}),
      ...(type ? { type } : {}),
    };
  }
}

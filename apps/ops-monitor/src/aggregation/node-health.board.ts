/** What one poll of a node's /health and /metrics found (see ingest/node-health.http.poller.ts). */
export interface NodeHealthSample {
  readonly polledAtMs: number;
  readonly responseMs: number;
  /** False when /health could not be reached or did not answer JSON. */
  readonly reachable: boolean;
  /** The node's own verdict: `ready` or `not-ready`. */
  readonly status?: string;
  /** Names of the node's checks that are not ok (database, kafkaProducer, inboxConsumer, …). */
  readonly failingChecks: readonly string[];
  readonly outboxBacklog?: number;
  /** From /metrics when the node serves it; undefined when it does not (404) or the gauge is missing. */
  readonly metrics?: NodeGauges;
  readonly error?: string;
}

export interface NodeGauges {
  readonly outboxBacklog?: number;
  readonly inboxConsumerLag?: number;
  readonly awaitingReceipt?: number;
  readonly dlqDepth?: number;
}

export type NodeState = 'ready' | 'not-ready' | 'unreachable' | 'stale' | 'unknown';

export interface NodeStatusView {
  readonly party: string;
  readonly url: string;
  readonly state: NodeState;
  readonly failingChecks: readonly string[];
  readonly outboxBacklog: number | null;
  readonly inboxConsumerLag: number | null;
  readonly awaitingReceipt: number | null;
  readonly dlqDepth: number | null;
  readonly metricsAvailable: boolean;
  readonly lastPolledAt: string | null;
  readonly responseMs: number | null;
  readonly error?: string;
}

/** The latest poll of each configured node, judged against the clock: a poll that is too old is `stale`. */
export class NodeHealthBoard {
  private readonly samples = new Map<string, NodeHealthSample>();

  constructor(
    private readonly nodes: readonly { readonly party: string; readonly url: string }[],
    private readonly staleAfterMs: number,
  ) {}

  record(party: string, sample: NodeHealthSample): void {
    this.samples.set(party, sample);
  }

  view(nowMs: number): NodeStatusView[] {
    return this.nodes.map(({ party, url }) => {
      const s = this.samples.get(party);
      const gauges = s?.metrics ?? {};
      return {
        party,
        url,
        state: stateOf(s, nowMs, this.staleAfterMs),
        failingChecks: s?.failingChecks ?? [],
        // The health body's count is read in the same request as the status; the gauge is a fallback.
        outboxBacklog: s?.outboxBacklog ?? gauges.outboxBacklog ?? null,
        inboxConsumerLag: gauges.inboxConsumerLag ?? null,
        awaitingReceipt: gauges.awaitingReceipt ?? null,
        dlqDepth: gauges.dlqDepth ?? null,
        metricsAvailable: s?.metrics !== undefined,
        lastPolledAt: s ? new Date(s.polledAtMs).toISOString() : null,
        responseMs: s?.responseMs ?? null,
        ...(s?.error ? { error: s.error } : {}),
      };
    });
  }
}

function stateOf(s: NodeHealthSample | undefined, nowMs: number, staleAfterMs: number): NodeState {
  if (!s) return 'unknown';
  if (nowMs - s.polledAtMs > staleAfterMs) return 'stale';
  if (!s.reachable) return 'unreachable';
  return s.status === 'ready' ? 'ready' : 'not-ready';
}

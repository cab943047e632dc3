import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig, type WebhookEndpoint } from '@app/config';
import type { NodeMetrics } from '@app/observability';
import {
  type Db,
  type NodeEvent,
  NodeEventsRepository,
  type WebhookEndpointStats,
  WebhookCursorsRepository,
} from '@app/persistence';
import { eventBody } from '../events/node-event.body';
import { ReplicaCoordinator } from '../shared/replica.coordinator';
import { DB, METRICS, WEBHOOK_ENDPOINTS } from '../shared/tokens';
import { postWebhook } from './webhook.poster';
import { SIGNATURE_HEADER, webhookSignature } from './webhook.signature';

export interface WebhookEndpointStatus {
  readonly pending: number;
  readonly deadLetters: number;
  /** Attempts at the event it is stuck on (0 when it is not failing). */
  readonly failedAttempts: number;
  readonly lastError?: string;
}

/**
 * Delivers the node's events to the configured endpoints, at least once: an endpoint's cursor moves
 * past an event only once the receiver answered 2xx, so a restart re-sends at most the event in
 * flight (receivers de-duplicate by event id). Each endpoint gets its events one at a time in `seq`
 * order — so a message's events arrive in the order they happened — at most `eventsPerTick` per
 * tick. A failing event is retried with exponential backoff; after `maxAttempts` it becomes a dead
 * letter (in /health and the metrics) and the endpoint moves on.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private timer: NodeJS.Timeout | undefined;
  private readonly busy = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  private readonly deliveries: Counter<'endpoint' | 'outcome'>;

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DB) private readonly db: Db,
    @Inject(WEBHOOK_ENDPOINTS) private readonly endpoints: readonly WebhookEndpoint[],
    @Inject(METRICS) metrics: NodeMetrics,
    private readonly events: NodeEventsRepository,
    private readonly cursors: WebhookCursorsRepository,
    private readonly replicas: ReplicaCoordinator,
  ) {
    this.deliveries = new Counter({
      name: 'puente_webhook_deliveries_total',
      help: 'Webhook delivery attempts by endpoint and outcome (delivered, failed, dead-letter)',
      labelNames: ['endpoint', 'outcome'],
      registers: [metrics.registry],
    });
    const status = () => this.status();
    new Gauge({
      name: 'puente_webhook_dead_letters',
      help: 'Events an endpoint never acknowledged within PUENTE_WEBHOOK_MAX_ATTEMPTS',
      labelNames: ['endpoint'],
      registers: [metrics.registry],
      async collect() {
        for (const [endpoint, s] of Object.entries(await status().catch(() => ({}))))
          this.set({ endpoint }, s.deadLetters);
      },
    });
    new Gauge({
      name: 'puente_webhook_pending_events',
      help: 'Events not yet delivered to an endpoint',
      labelNames: ['endpoint'],
      registers: [metrics.registry],
      async collect() {
        for (const [endpoint, s] of Object.entries(await status().catch(() => ({}))))
          this.set({ endpoint }, s.pending);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.endpoints.length === 0) return;
    await this.cursors.ensure(this.endpoints.map((e) => e.id));
    this.timer = setInterval(() => this.tick(), this.config.events.pollMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.running]);
  }

  /** Starts a round for every endpoint not still busy with the last one; endpoints never wait on each other. */
  tick(): void {
    for (const endpoint of this.endpoints) {
      if (this.busy.has(endpoint.id)) continue;
      this.busy.add(endpoint.id);
      const round: Promise<void> = this.deliver(endpoint)
        .catch((error: unknown) =>
          this.logger.warn(
            `webhook ${endpoint.id}: round failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
        )
        .finally(() => {
          this.busy.delete(endpoint.id);
          this.running.delete(round);
        });
      this.running.add(round);
    }
  }

  /** Per endpoint: pending events, dead letters, and the failure it is retrying, if any. */
  async status(): Promise<Record<string, WebhookEndpointStatus>> {
    if (this.endpoints.length === 0) return {};
    const stats = new Map<string, WebhookEndpointStats>(
      (await this.cursors.stats()).map((s) => [s.endpointId, s]),
    );
    const out: Record<string, WebhookEndpointStatus> = {};
    for (const e of this.endpoints) {
      const s = stats.get(e.id);
      out[e.id] = {
        pending: s ? await this.events.countAfter(s.deliveredSeq, e.events) : 0,
        deadLetters: s?.deadLetters ?? 0,
        failedAttempts: s?.attempts ?? 0,
        ...(s?.lastError ? { lastError: s.lastError } : {}),
      };
    }
    return out;
  }

  /**
   * One replica of the node delivers to an endpoint at a time (the others would post the same events
   * again): a round holds the endpoint's lease, given back when it ends, lapsing if its replica dies.
   */
  private async deliver(endpoint: WebhookEndpoint): Promise<void> {
    const lease = `webhook:${endpoint.id}`;
    // Short enough that a dead replica's endpoints resume soon; a round outliving it may repeat an
    // event, which delivery at least once allows (receivers de-duplicate by event id).
    const leaseMs = Math.max(30_000, 4 * this.config.webhooks.timeoutMs);
    if (!(await this.replicas.claimItem(lease, leaseMs))) return;
    try {
      await this.deliverRound(endpoint);
    } finally {
      await this.replicas.releaseItem(lease);
    }
  }

  private async deliverRound(endpoint: WebhookEndpoint): Promise<void> {
    const cursor = await this.cursors.find(endpoint.id);
    if (!cursor) return;
    if (cursor.nextAttemptAt && cursor.nextAttemptAt.getTime() > this.clock.now().getTime()) return;
    const batch = await this.events.after(
      cursor.deliveredSeq,
      this.config.webhooks.eventsPerTick,
      endpoint.events,
    );
    let attempts = cursor.attempts;
    for (const event of batch) {
      if (this.stopped) return;
      // The same bytes are signed and sent.
      const body = JSON.stringify(eventBody(this.config.party, event));
      const outcome = await postWebhook(
        endpoint.url,
        this.headers(endpoint, event, body),
        body,
        this.config.webhooks.timeoutMs,
      );
      if (outcome.ok) {
        await this.cursors.advance(this.db, endpoint.id, event.seq);
        this.deliveries.inc({ endpoint: endpoint.id, outcome: 'delivered' });
        attempts = 0;
        continue;
      }
      attempts += 1;
      if (attempts < this.config.webhooks.maxAttempts) {
        this.deliveries.inc({ endpoint: endpoint.id, outcome: 'failed' });
        await this.cursors.recordFailure(endpoint.id, attempts, this.retryAt(attempts), outcome.error);
        return;
      }
      await this.db.transaction((tx) =>
        this.cursors.deadLetter(tx, {
          endpointId: endpoint.id,
          seq: event.seq,
          eventId: event.id,
          attempts,
          error: outcome.error,
          at: this.clock.now(),
        }),
      );
      this.deliveries.inc({ endpoint: endpoint.id, outcome: 'dead-letter' });
      this.logger.warn(
        `webhook ${endpoint.id}: event ${event.id} is a dead letter after ${attempts} attempts (${outcome.error})`,
      );
      attempts = 0;
    }
  }

  /** base × 2^(attempt − 1), capped, with up to 10 % jitter so endpoints that failed together do not retry together. */
  private retryAt(attempt: number): Date {
    const { backoffMs, maxBackoffMs } = this.config.webhooks;
    const delay = Math.min(maxBackoffMs, backoffMs * 2 ** Math.min(attempt - 1, 30));
    return new Date(this.clock.now().getTime() + delay + Math.floor(Math.random() * delay * 0.1));
  }

  private headers(endpoint: WebhookEndpoint, event: NodeEvent, body: string): Record<string, string> {
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    return {
      'content-type': 'application/json',
      'user-agent': 'puente-webhooks/1',
      'puente-event-id': event.id,
      'puente-event-type': event.type,
      [SIGNATURE_HEADER.toLowerCase()]: webhookSignature(endpoint.secret, timestamp, body),
    };
  }
}

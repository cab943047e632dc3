import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AgreementsCatalog } from '@app/agreements';
import { NODE_CONFIG, type NodeConfig } from '@app/config';
import type { KafkaInboxServer, RecordProducer } from '@app/messaging';
import { type Db, OutboxRepository } from '@app/persistence';
import type { TrustStore } from '@app/signing';
import { CATALOG, DB, INBOX_SERVER, PRODUCER, TRUST_STORE } from '../shared/tokens';
import { WebhookDispatcher, type WebhookEndpointStatus } from '../webhooks/webhook.dispatcher';

export interface HealthCheck {
  readonly ok: boolean;
  readonly detail?: string;
}

export interface NodeHealth {
  readonly status: 'ready' | 'not-ready';
  readonly party: string;
  readonly database: Db['kind'];
  /** Outbox rows not yet published; absent when the database cannot be asked. */
  readonly outboxBacklog: number | undefined;
  readonly checks: Readonly<Record<string, HealthCheck>>;
  /**
   * Per webhook endpoint: events pending, dead letters, the failure being retried. Not a readiness
   * check: a back-office receiver being down must not take the exchange out of service.
   */
  readonly webhooks?: Readonly<Record<string, WebhookEndpointStatus>>;
}

/** A Kafka check, with why it fails in an operator's words (`kafka: authentication failed for …`). */
const kafkaCheck = (ok: boolean, problem: string | undefined): HealthCheck =>
  ok ? { ok } : { ok, ...(problem ? { detail: `kafka: ${problem}` } : {}) };

/**
 * The node's readiness: database, Kafka (producer, and an inbox consumer that runs and is not
 * stalled), trust store, agreements. Ready only when every check passes; the outbox backlog rides
 * along so an operator sees a queue building.
 */
@Injectable()
export class NodeHealthService {
  private readonly logger = new Logger('Health');

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(DB) private readonly db: Db,
    @Inject(PRODUCER) private readonly producer: RecordProducer,
    @Inject(INBOX_SERVER) private readonly inbox: KafkaInboxServer,
    @Inject(TRUST_STORE) private readonly trustStore: TrustStore,
    @Inject(CATALOG) private readonly catalog: AgreementsCatalog,
    private readonly outbox: OutboxRepository,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  async read(): Promise<NodeHealth> {
    const database = await this.database();
    const checks: Record<string, HealthCheck> = {
      database,
      kafkaProducer: kafkaCheck(this.producer.isConnected, this.producer.problem),
      inboxConsumer: this.inboxCheck(),
      trustStore: {
        ok: this.trustStore.parties().length > 0,
        detail: `${this.trustStore.parties().length} parties`,
      },
      agreements: {
        ok: this.catalog.agreements.length > 0,
        detail: `${this.catalog.agreements.length} agreements`,
      },
    };
    const ready = Object.values(checks).every((c) => c.ok);
    const webhooks = database.ok ? await this.webhooks.status() : {};
    return {
      status: ready ? 'ready' : 'not-ready',
      party: this.config.party,
      database: this.db.kind,
      outboxBacklog: database.ok ? await this.outbox.backlog() : undefined,
      checks,
      ...(Object.keys(webhooks).length > 0 && { webhooks }),
    };
  }

  /** Not ok when the consumer is not running, or a partition with lag has not moved for the stall limit. */
  private inboxCheck(): HealthCheck {
    if (!this.inbox.isRunning) return kafkaCheck(false, this.inbox.problem);
    const stalls = this.inbox.stalls;
    if (stalls.length === 0) return { ok: true };
    const where = stalls
      .map((s) => `partition ${s.partition} at offset ${s.offset} (lag ${s.lag})`)
      .join(', ');
    return { ok: false, detail: `stalled: ${where}` };
  }

  private async database(): Promise<HealthCheck> {
    try {
      await this.db.ping();
      return { ok: true };
    } catch (error) {
      // The cause is the operator's, in the log; anyone may read /health.
      this.logger.warn(`database check failed: ${error instanceof Error ? error.message : String(error)}`);
      return { ok: false, detail: 'unreachable' };
    }
  }
}

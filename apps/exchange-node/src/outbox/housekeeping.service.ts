import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig, type WebhookEndpoint } from '@app/config';
import { MessageType } from '@app/contracts';
import {
  type GroupCommitter,
  IdempotencyKeysRepository,
  InboundRejectionsRepository,
  NodeEventsRepository,
  OutboxRepository,
  WebhookCursorsRepository,
} from '@app/persistence';
import { ReplicaCoordinator } from '../shared/replica.coordinator';
import { GROUP_COMMIT, WEBHOOK_ENDPOINTS } from '../shared/tokens';

const DAY_MS = 86_400_000;

/**
 * Keeps the node's working tables from growing without bound: published outbox rows once their
 * message is settled and past `PUENTE_OUTBOX_RETENTION_DAYS` (the broker has them; a message still
 * awaiting its receipt keeps its row for redelivery), and rejection rows — which hold the refused
 * record's bytes — after `PUENTE_REJECTIONS_RETENTION_DAYS`. The audit chain keeps the record of both.
 * Also: a `message.overdue` event for each request past its reply-by date without an answer; and it
 * forgets idempotency keys after `PUENTE_IDEMPOTENCY_KEY_HOURS`, and events after
 * `PUENTE_EVENTS_RETENTION_DAYS` once every webhook endpoint has passed them.
 */
@Injectable()
export class HousekeepingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HousekeepingService.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly outbox: OutboxRepository,
    private readonly rejections: InboundRejectionsRepository,
    @Inject(WEBHOOK_ENDPOINTS) private readonly endpoints: readonly WebhookEndpoint[],
    private readonly idempotencyKeys: IdempotencyKeysRepository,
    private readonly events: NodeEventsRepository,
    private readonly webhookCursors: WebhookCursorsRepository,
    @Inject(GROUP_COMMIT) private readonly commits: GroupCommitter,
    private readonly replicas: ReplicaCoordinator,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.retention.intervalSeconds * 1000;
    // One replica of the node runs each interval's pass.
    this.timer = this.replicas.everyInterval('housekeeping', every, () => this.run(), {
      logger: this.logger,
      what: 'housekeeping',
    });
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async run(): Promise<{
    outboxRows: number;
    rejectionRows: number;
    keys: number;
    events: number;
    overdue: number;
  }> {
    const now = this.clock.now().getTime();
    // Requests past their reply-by date become events once; through the group committer, as every event.
    const overdue = await this.commits.run((tx) =>
      this.events.appendOverdue(
        tx,
        MessageType.AssistanceRequest,
        new Date(now).toISOString().slice(0, 10),
        new Date(now),
      ),
    );
    const { outboxDays, rejectionsDays } = this.config.retention;
    let outboxRows = 0;
    // In slices, so one pass never holds a long lock on the outbox the relay is reading.
    for (;;) {
      const n = await this.outbox.prunePublished(new Date(now - outboxDays * DAY_MS), 5_000);
      outboxRows += n;
      if (n < 5_000) break;
    }
    const rejectionRows = await this.rejections.deleteOlderThan(new Date(now - rejectionsDays * DAY_MS));
    const keys = await inSlices(() =>
      this.idempotencyKeys.deleteOlderThan(
        new Date(now - this.config.idempotency.keyHours * 3_600_000),
        5_000,
      ),
    );
    const passed = await this.webhookCursors.minDeliveredSeq(this.endpoints.map((e) => e.id));
    const events = await inSlices(() =>
      this.events.prune(new Date(now - this.config.events.retentionDays * DAY_MS), passed, 5_000),
    );
    if (outboxRows + rejectionRows + keys + events > 0)
      this.logger.log(
        `housekeeping: pruned ${outboxRows} outbox rows, ${rejectionRows} rejection rows, ${keys} idempotency keys, ${events} events`,
      );
    return { outboxRows, rejectionRows, keys, events, overdue };
  }
}

/** Runs a slice-wise delete until a slice comes back short; the total deleted. */
async function inSlices(slice: () => Promise<number>, size = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await slice();
    total += n;
    if (n < size) return total;
  }
}

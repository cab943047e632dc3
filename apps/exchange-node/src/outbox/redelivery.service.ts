import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import type { FlowEventsPublisher } from '@app/observability';
import {
  AuditLogRepository,
  type GroupCommitter,
  NodeEventsRepository,
  OutboundMessagesRepository,
  OutboxRepository,
} from '@app/persistence';
import { settledFact } from '../events/node-event.facts';
import { FLOW_EVENTS, GROUP_COMMIT } from '../shared/tokens';
import { ReplicaCoordinator } from '../shared/replica.coordinator';
import { OutboxRelay } from './outbox.relay';

/**
 * At-least-once until settled: a message sent but not acknowledged is sent again — the very same
 * signed record, so the peer's idempotent inbox stores it once and answers with its first receipt —
 * backing off, until a receipt settles it or it expires. An expired unsettled message becomes
 * `failed` with EXPIRED: visible to the officer, the audit log and the flow, never silently dropped.
 */
@Injectable()
export class RedeliveryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RedeliveryService.name);
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> = Promise.resolve();

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(FLOW_EVENTS) private readonly flow: FlowEventsPublisher,
    private readonly relay: OutboxRelay,
    private readonly outbound: OutboundMessagesRepository,
    private readonly outbox: OutboxRepository,
    private readonly audit: AuditLogRepository,
    @Inject(GROUP_COMMIT) private readonly commits: GroupCommitter,
    private readonly events: NodeEventsRepository,
    private readonly replicas: ReplicaCoordinator,
  ) {}

  onApplicationBootstrap(): void {
    const every = Math.max(100, Math.min(this.config.relay.resendAfterMs / 2, 5_000));
    this.timer = setInterval(() => {
      this.pass = this.pass
        // One replica of the node runs each interval's pass: two would re-queue a message twice.
        .then(() => this.replicas.claimRun('redelivery', every))
        .then((mine) => (mine ? this.runOnce() : undefined))
        .then(
          () => undefined,
          (error: unknown) =>
            this.logger.warn(
              `redelivery pass failed, will retry: ${error instanceof Error ? error.message : String(error)}`,
            ),
        );
    }, every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.pass;
  }

  /** One pass: fail what expired, re-queue what waited too long. Returns how many of each. */
  async runOnce(): Promise<{ failed: number; resent: number }> {
    const now = this.clock.now();
    // Through the group committer: it appends events, which commit one transaction at a time.
    const { failed, resent } = await this.commits.run(async (tx) => {
      const expired = await this.outbound.failExpired(tx, now);
      for (const m of expired) {
        await this.events.append(tx, now, settledFact(m, 'failed', 'EXPIRED'));
        await this.audit.append(tx, now, 'message.failed', m.id, m.recipient, {
          type: m.type,
          agreement: m.agreementId,
          reason: 'EXPIRED',
          digest: m.recordDigest,
        });
      }
      const due = await this.outbound.claimForResend(tx, now, this.config.relay.resendAfterMs, 500);
      let requeued = 0;
      for (const m of due) if (await this.outbox.requeue(tx, m.id)) requeued += 1;
      return { failed: expired, resent: requeued };
    });
    for (const m of failed) {
      this.flow.emit({
        at: now.toISOString(),
        node: this.config.party,
        stage: 'expire',
        outcome: 'EXPIRED',
        messageId: m.id,
        conversationId: m.conversationId,
        type: m.type,
        agreementId: m.agreementId,
        sender: this.config.party,
        recipient: m.recipient,
      });
      this.logger.warn(`message ${m.id} to ${m.recipient} expired without a receipt: failed`);
    }
    if (resent > 0) {
      this.logger.log(`re-sending ${resent} message(s) still waiting for a receipt`);
      this.relay.wake();
    }
    return { failed: failed.length, resent };
  }
}

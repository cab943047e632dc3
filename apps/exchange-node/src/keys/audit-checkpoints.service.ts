import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { trustTopic } from '@app/contracts';
import type { RecordProducer } from '@app/messaging';
import { AuditCheckpointsRepository, AuditLogRepository } from '@app/persistence';
import { type AuditCheckpointCheck, type OwnKeys, signAuditCheckpoint } from '@app/signing';
import { ReplicaCoordinator } from '../shared/replica.coordinator';
import { OWN_KEYS, PRODUCER } from '../shared/tokens';

/** How often the head is looked at (cheap: one row). */
const POLL_MS = 1_000;

/**
 * Anchors this node's audit chain outside it: signs the chain's head (entry number, hash, time) at
 * least every PUENTE_AUDIT_CHECKPOINT_SECONDS and after every PUENTE_AUDIT_CHECKPOINT_ENTRIES
 * entries, and publishes it on the trust topic, which every peer reads and keeps what it reads
 * (audit_checkpoints). Someone who rewrites this node's database — even recomputing every later hash
 * and the head — cannot rewrite what the peers hold: `npm run audit:verify` compares the chain with
 * the checkpoints published on the topic and names the first entry that disagrees.
 */
@Injectable()
export class AuditCheckpointsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AuditCheckpoints');
  private timer: NodeJS.Timeout | undefined;
  private lastSeq = 0;
  private lastAtMs = 0;
  private running = false;

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OWN_KEYS) private readonly own: OwnKeys,
    @Inject(PRODUCER) private readonly producer: RecordProducer,
    private readonly audit: AuditLogRepository,
    private readonly checkpoints: AuditCheckpointsRepository,
    private readonly replicas: ReplicaCoordinator,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.lastSeq = await this.checkpoints.lastSeq(this.config.party);
    this.timer = setInterval(() => void this.scheduledTick(), POLL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * The timer's tick, in one replica of the node per poll; it starts from the last checkpoint in the
   * database, which another replica may have published.
   */
  private async scheduledTick(): Promise<void> {
    try {
      if (!(await this.replicas.claimRun('audit-checkpoint', POLL_MS))) return;
      const last = await this.checkpoints.lastSeq(this.config.party);
      if (last > this.lastSeq) {
        this.lastSeq = last;
        this.lastAtMs = this.clock.now().getTime();
      }
    } catch (error) {
      this.logger.error(
        `audit checkpoint not published: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    await this.tick();
  }

  /** Publishes a checkpoint when one is due (the timer calls this; tests may too). Never throws. */
  async tick(force = false): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const now = this.clock.now();
      const head = await this.audit.head();
      const { intervalSeconds, everyEntries } = this.config.auditCheckpoints;
      const due =
        head.seq > this.lastSeq &&
        (force ||
          head.seq - this.lastSeq >= everyEntries ||
          now.getTime() - this.lastAtMs >= intervalSeconds * 1000);
      if (due) await this.publish({ party: this.config.party, seq: head.seq, hash: head.hash, at: now });
    } catch (error) {
      this.logger.error(
        `audit checkpoint not published: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.running = false;
    }
  }

  /** Holds a peer's checkpoint read off the trust topic; says when it contradicts one held before. */
  async receive(
    checked: Extract<AuditCheckpointCheck, { ok: true }>,
    value: string,
    now: Date,
  ): Promise<string | undefined> {
    const c = checked.checkpoint;
    const held = await this.checkpoints.hold({ ...c, recordValue: value, receivedAt: now });
    if (held)
      this.logger.error(
        `${c.party} published entry ${c.seq} with hash ${c.hash.slice(0, 12)}…, but ${held.slice(0, 12)}… is held: its audit chain was rewritten`,
      );
    return held;
  }

  private async publish(checkpoint: { party: string; seq: number; hash: string; at: Date }): Promise<void> {
    const jws = await signAuditCheckpoint(checkpoint, this.own.signingKeyAt(checkpoint.at));
    await this.checkpoints.hold({ ...checkpoint, recordValue: jws, receivedAt: checkpoint.at });
    await this.producer.send([
      {
        topic: trustTopic(this.config.kafka.topicNamespace),
        key: `${checkpoint.party}/checkpoint/${checkpoint.seq}`,
        value: jws,
      },
    ]);
    this.lastSeq = checkpoint.seq;
    this.lastAtMs = checkpoint.at.getTime();
  }
}

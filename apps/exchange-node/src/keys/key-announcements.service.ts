import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { AgreementsCatalog } from '@app/agreements';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { trustReplicaGroupId, trustTopic } from '@app/contracts';
import { type RecordProducer, TrustTopicConsumer } from '@app/messaging';
import type { FlowEventsPublisher } from '@app/observability';
import { AuditLogRepository, type Db, TrustEventsRepository } from '@app/persistence';
import {
  applyKeyEvent,
  checkAuditCheckpoint,
  checkKeyEvent,
  isAuditCheckpointRecord,
  digestOf,
  type KeyEvent,
  keyEventRecordKey,
  type OwnKeys,
  publicJwkOf,
  signKeyEvent,
  type TrustStore,
} from '@app/signing';
import type { Kafka } from 'kafkajs';
import { ReplicaCoordinator } from '../shared/replica.coordinator';
import { CATALOG, DB, FLOW_EVENTS, KAFKA, OWN_KEYS, PRODUCER, TRUST_STORE } from '../shared/tokens';
import { AuditCheckpointsService } from './audit-checkpoints.service';

/** How long start-up waits for the trust topic's replay before it serves on the bootstrap keys alone. */
const REPLAY_TIMEOUT_MS = 15_000;
/** How often the node checks that the topic holds all of its own announcements. */
const ANNOUNCE_RETRY_MS = 60_000;

/**
 * Key announcements between nodes, over the `<ns>.trust` topic (one partition, kept for ever).
 *
 * Reading: at start-up the whole topic is replayed over the bootstrap trust store (before the inbox
 * consumer starts), then followed live. Each announcement is checked against the keys already
 * trusted (checkKeyEvent: key continuity, or the party's offline recovery key) and applied at once —
 * no restart. One that does not chain to a trusted key of the party it speaks for is refused. Each
 * distinct announcement, applied or refused, is recorded once (trust_events), audited and shown to
 * the ops monitor as a `trust` flow event (OK or the reason code); a replay repeats none of that.
 *
 * Writing: this node announces its own keys — every key in its key file it has not yet seen
 * announced on the topic (add), and every end (retire) and revocation (revoke) its key file holds —
 * signed with its current signing key, at start-up and whenever its key file changes
 * (KeyFilesWatcher). A rotation's new keys are so announced, signed by the old key peers trust,
 * before the switch; the old key's end and revocation follow.
 */
@Injectable()
export class KeyAnnouncementsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('KeyAnnouncements');
  private consumer: TrustTopicConsumer | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** This party's announcements seen applied on the topic (`add:<kid>`, `retire:<kid>:<at>`, …). */
  private readonly announced = new Set<string>();
  private announcing: Promise<void> = Promise.resolve();

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CATALOG) private readonly catalog: AgreementsCatalog,
    @Inject(TRUST_STORE) private readonly trust: TrustStore,
    @Inject(OWN_KEYS) private readonly own: OwnKeys,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PRODUCER) private readonly producer: RecordProducer,
    @Inject(FLOW_EVENTS) private readonly flow: FlowEventsPublisher,
    @Inject(DB) private readonly db: Db,
    private readonly events: TrustEventsRepository,
    private readonly audit: AuditLogRepository,
    private readonly checkpoints: AuditCheckpointsService,
    private readonly replicas: ReplicaCoordinator,
  ) {}

  private get topic(): string {
    return trustTopic(this.config.kafka.topicNamespace);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new TrustTopicConsumer({
      kafka: this.kafka,
      topic: this.topic,
      groupId: trustReplicaGroupId(
        this.config.party,
        this.replicas.groupSuffix,
        this.config.kafka.topicNamespace,
      ),
      onRecord: (value) => this.receive(value),
    });
    await this.consumer.start(REPLAY_TIMEOUT_MS);
    await this.announceOwnKeys();
    // What could not be announced (broker away) is tried again; what the topic holds is not repeated.
    this.timer = setInterval(() => void this.announceOwnKeys(), ANNOUNCE_RETRY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.consumer?.stop();
  }

  /** One record off the trust topic: an audit checkpoint, or a key announcement. */
  async receive(value: string): Promise<void> {
    if (isAuditCheckpointRecord(value)) return this.receiveCheckpoint(value);
    return this.receiveKeyEvent(value);
  }

  /**
   * A peer's (or this node's own) audit checkpoint: held when its signature checks out. A refused one,
   * or one that contradicts a checkpoint held for the same entry, is recorded, audited and shown
   * like a refused announcement.
   */
  private async receiveCheckpoint(value: string): Promise<void> {
    const now = this.clock.now();
    const checked = await checkAuditCheckpoint(value, this.trust);
    if (checked.ok) {
      const held = await this.checkpoints.receive(checked, value, now);
      if (!held) return;
      await this.recordOnce(value, now, {
        party: checked.checkpoint.party,
        action: 'checkpoint',
        subjectKid: null,
        signerKid: checked.kid,
        outcome: 'AUDIT_CHECKPOINT_CONFLICT',
        detail: `entry ${checked.checkpoint.seq}: ${checked.checkpoint.hash} published, ${held} held`,
        applied: false,
      });
      return;
    }
    await this.recordOnce(value, now, {
      party: undefined,
      action: 'checkpoint',
      subjectKid: null,
      signerKid: null,
      outcome: checked.reason,
      detail: checked.detail,
      applied: false,
    });
  }

  /** A key announcement: checked, applied if it chains to a trusted key, recorded once. */
  private async receiveKeyEvent(value: string): Promise<void> {
    const now = this.clock.now();
    const checked = await checkKeyEvent(value, this.trust);
    const knownParty = checked.ok ? checked.event.party : checked.party;
    let change = 'unchanged';
    if (checked.ok) {
      change = await applyKeyEvent(checked.event, this.trust);
      if (checked.event.party === this.config.party) this.announced.add(factOf(checked.event));
    }
    const event = checked.ok ? checked.event : undefined;
    await this.recordOnce(value, now, {
      party: knownParty,
      action: event?.action ?? null,
      subjectKid: event ? subjectOf(event) : null,
      signerKid: checked.signerKid ?? null,
      outcome: checked.ok ? 'OK' : checked.reason,
      detail: checked.ok ? `${change}${checked.byRecovery ? ' (recovery key)' : ''}` : checked.detail,
      applied: checked.ok,
    });
  }

  /**
   * Records a judgement the first time this record is seen (a replay at start-up repeats nothing):
   * its trust_events row and audit entry in one transaction, then a log line and a `trust` flow event.
   */
  private async recordOnce(
    value: string,
    now: Date,
    j: {
      readonly party: string | undefined;
      readonly action: string | null;
      readonly subjectKid: string | null;
      readonly signerKid: string | null;
      readonly outcome: string;
      readonly detail: string;
      readonly applied: boolean;
    },
  ): Promise<void> {
    // Only a party the catalog knows is named: a made-up name never reaches the audit or the monitor.
    const party = j.party !== undefined && this.catalog.parties.has(j.party) ? j.party : null;
    const digest = digestOf(value);
    const first = await this.db.transaction(async (tx) => {
      const isNew = await this.events.remember(tx, {
        digest,
        party,
        action: j.action,
        subjectKid: j.subjectKid,
        signerKid: j.signerKid,
        outcome: j.outcome,
        detail: j.detail,
        recordValue: storable(value),
        seenAt: now,
      });
      if (isNew)
        await this.audit.append(
          tx,
          now,
          j.applied ? 'key.announcement.applied' : 'key.announcement.refused',
          null,
          party,
          { digest, outcome: j.outcome, action: j.action, kid: j.subjectKid, signer: j.signerKid },
        );
      return isNew;
    });
    if (!first) return;
    if (j.applied)
      this.logger.log(`key announcement applied: ${j.action ?? ''} ${j.subjectKid ?? ''} (${j.detail})`);
    else this.logger.warn(`trust topic record refused: ${j.outcome} (${j.detail})`);
    this.flow.emit({
      at: now.toISOString(),
      node: this.config.party,
      stage: 'trust',
      outcome: j.outcome,
      sender: party ?? undefined,
      rule: j.action ?? 'announcement',
    });
  }

  /**
   * Publishes the announcements this node's key file calls for and the topic does not hold yet.
   * Serialised: the file watcher and start-up may ask at once.
   */
  announceOwnKeys(): Promise<void> {
    this.announcing = this.announcing
      .then(() => this.announceMissing())
      .catch((error: unknown) => {
        this.logger.error(
          `own key announcements not published: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    return this.announcing;
  }

  private async announceMissing(): Promise<void> {
    const now = this.clock.now();
    const events = this.ownEvents(now).filter((e) => !this.announced.has(factOf(e)));
    if (events.length === 0) return;
    const signer = this.own.signingKeyAt(now);
    const records = [];
    for (const event of events) {
      const jws = await signKeyEvent(event, signer);
      records.push({ topic: this.topic, key: keyEventRecordKey(event, jws), value: jws });
    }
    await this.producer.send(records);
    this.logger.log(`announced ${events.length} key event(s) signed with ${signer.kid}`);
  }

  /** What this node's key file says about its keys, as announcements. */
  private ownEvents(now: Date): KeyEvent[] {
    const party = this.config.party;
    const events: KeyEvent[] = [];
    const { sig, enc } = this.own.allKeys();
    for (const key of [...sig, ...enc]) {
      const jwk = publicJwkOf(key);
      const { notBefore, notAfter, revokedAt, revocationReason } = key.validity;
      events.push({ action: 'add', party, key: jwk, validity: { notBefore, notAfter }, issuedAt: now });
      if (notAfter) events.push({ action: 'retire', party, kid: key.kid, at: notAfter, issuedAt: now });
      if (revokedAt)
        events.push({
          action: 'revoke',
          party,
          kid: key.kid,
          at: revokedAt,
          reason: revocationReason,
          issuedAt: now,
        });
    }
    return events;
  }
}

/** What an announcement states, without its issue time: a repeat states the same fact. */
function factOf(e: KeyEvent): string {
  return e.action === 'add' ? `add:${e.key.kid}` : `${e.action}:${e.kid}:${e.at.toISOString()}`;
}

function subjectOf(e: KeyEvent): string {
  return e.action === 'add' ? e.key.kid : e.kid;
}

/** A record value as text the database takes: as read when printable ASCII (a JWS is), else base64. */
function storable(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `base64:${Buffer.from(value, 'latin1').toString('base64')}`;
}

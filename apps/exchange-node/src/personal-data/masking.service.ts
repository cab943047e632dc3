import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type Agreement, type AgreementsCatalog, maskPayload } from '@app/agreements';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { AuditLogRepository, type Db, MaskingRepository } from '@app/persistence';
import { CATALOG, DB } from '../shared/tokens';
import { ReplicaCoordinator } from '../shared/replica.coordinator';
import { MASKING_KEYS, type MaskingKeys } from './masking.keys';

const DAY_MS = 86_400_000;
const BATCH = 200;

/**
 * Masks what each agreement's `maskAfterDays` have run out for, on the retention job's schedule: the
 * `maskFields` become keyed digests, the original is kept only sealed under the node's masking secret
 * (for a four-eyes unmask), and the signed record, which holds the payload encrypted to this node, goes.
 * `retentionDays` later removes the masked payload and the sealed original as before.
 */
@Injectable()
export class MaskingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MaskingService.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CATALOG) private readonly catalog: AgreementsCatalog,
    @Inject(DB) private readonly db: Db,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(MASKING_KEYS) private readonly keys: MaskingKeys | null,
    private readonly messages: MaskingRepository,
    private readonly audit: AuditLogRepository,
    private readonly replicas: ReplicaCoordinator,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.keys) return;
    const every = this.config.retention.intervalSeconds * 1000;
    // One replica of the node runs each interval's pass, as for retention.
    this.timer = this.replicas.everyInterval('masking', every, () => this.run(), {
      logger: this.logger,
      what: 'masking run',
    });
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass over every agreement that masks; returns how many messages were masked per agreement. */
  async run(): Promise<Record<string, number>> {
    const done: Record<string, number> = {};
    const keys = this.keys;
    if (!keys) return done;
    const now = this.clock.now();
    for (const agreement of this.catalog.agreements) {
      if (agreement.maskAfterDays === undefined) continue;
      done[agreement.id] = await this.maskAgreement(agreement, agreement.maskAfterDays, keys, now);
    }
    return done;
  }

  private async maskAgreement(
    agreement: Agreement,
    days: number,
    keys: MaskingKeys,
    now: Date,
  ): Promise<number> {
    const pd = agreement.personalData;
    const fields = pd && 'allowedFields' in pd ? (pd.maskFields ?? []) : [];
    const cutoff = new Date(now.getTime() - days * DAY_MS);
    let masked = 0;
    for (;;) {
      const due = await this.messages.due(agreement.id, cutoff, BATCH);
      if (due.length === 0) break;
      await this.db.transaction(async (tx) => {
        for (const m of due) {
          const payload = maskPayload(m.payload, fields, (path, value) => keys.digestOrKeep(path, value));
          await this.messages.setMasked(tx, m, payload, keys.seal(m.payload), now);
        }
        await this.audit.append(tx, now, 'message.masked', null, null, {
          agreement: agreement.id,
          cutoff: cutoff.toISOString(),
          messages: due.length,
        });
      });
      masked += due.length;
      if (due.length < BATCH) break;
    }
    if (masked > 0)
      this.logger.log(`masking ${agreement.id}: masked ${masked} messages older than ${days} days`);
    return masked;
  }
}

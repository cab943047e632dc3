import { createHash } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type AgreementsCatalog, decide } from '@app/agreements';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { MAX_AEO_OPERATORS, MessageType, type PartyId } from '@app/contracts';
import { AeoRegistryRepository, type Db } from '@app/persistence';
import { ExchangeError } from '../shared/exchange.error';
import { ReplicaCoordinator } from '../shared/replica.coordinator';
import { CATALOG, DB } from '../shared/tokens';
import { SubmitMessageService } from '../submit-message/submit-message.service';
import { type OwnOperator, OwnProgrammeSource } from './own-programme.source';

const SYNC_CLIENT = { id: 'aeo-sync', agency: 'system', roles: ['officer'] as const };

/** What one sync did for one partner. */
export interface PartnerSyncResult {
  readonly partner: PartyId;
  readonly agreement: string;
  readonly programme: string;
  /** FULL the first time, DELTA after; none when nothing changed since the last sync. */
  readonly kind: 'FULL' | 'DELTA' | 'none';
  readonly operatorsSent: number;
  readonly withdrawn: number;
  /** Operators of the programme left out because they have not consented. */
  readonly withoutConsent: number;
  readonly messageIds: readonly string[];
  /** Why nothing could be sent (the refusal's reason code), if so. */
  readonly refused?: string;
}

/**
 * Sends this administration's AEO operators to every partner an agreement in force allows:
 * the whole programme the first time, then only what changed (new, changed, withdrawn operators),
 * every `PUENTE_AEO_SYNC_INTERVAL_SECONDS` and on demand. An operator without consent is never
 * put into a message; one that withdraws consent after being shared is withdrawn at the partner.
 * What was shared is recorded per partner after the message is accepted for sending, so a crash in
 * between makes the next sync send those operators again (applied idempotently by the partner).
 */
@Injectable()
export class AeoSyncService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AeoSyncService.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PartnerSyncResult[]> = Promise.resolve([]);

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CATALOG) private readonly catalog: AgreementsCatalog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DB) private readonly db: Db,
    private readonly source: OwnProgrammeSource,
    private readonly submit: SubmitMessageService,
    private readonly registry: AeoRegistryRepository,
    private readonly replicas: ReplicaCoordinator,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.aeo.syncIntervalSeconds;
    if (!this.source.configured || every === 0) return;
    // One replica of the node sends each interval's sync.
    this.timer = setInterval(
      () =>
        void this.replicas
          .claimRun('aeo-sync', every * 1000)
          .then((mine) => (mine ? this.syncNow() : undefined))
          .catch(() => undefined),
      every * 1000,
    );
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running.catch(() => undefined);
  }

  /** One sync to every partner; concurrent calls wait for the sync in progress and run after it. */
  syncNow(): Promise<PartnerSyncResult[]> {
    const next = this.running.catch(() => []).then(() => this.syncAll());
    this.running = next;
    return next;
  }

  private async syncAll(): Promise<PartnerSyncResult[]> {
    const own = await this.source.read().catch((error: unknown) => {
      this.logger.error(`AEO sync skipped: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    });
    if (!own) return [];
    const results: PartnerSyncResult[] = [];
    for (const partner of this.partners()) {
      const result = await this.syncPartner(partner, own.programme, own.operators);
      results.push(result);
      this.logger.log(
        `AEO sync of ${own.programme} to ${result.partner}: ${result.kind}, ${result.operatorsSent} operators, ${result.withdrawn} withdrawn, ${result.withoutConsent} without consent not sent${result.refused ? `; refused ${result.refused}` : ''}`,
      );
    }
    return results;
  }

  /** Partners an agreement in force lets this node send AEO status to, with that agreement's purpose. */
  private partners(): { party: PartyId; agreement: string; purpose: string }[] {
    const me = this.config.party;
    const now = this.clock.now();
    const found = new Map<PartyId, { party: PartyId; agreement: string; purpose: string }>();
    for (const a of this.catalog.agreements)
      for (const c of a.channels) {
        if (!c.from.includes(me) || !c.types.includes(MessageType.AeoStatusSync)) continue;
        for (const party of c.to) {
          const purpose = a.purposes[0] ?? '';
          const d = decide(this.catalog, {
            sender: me,
            recipient: party,
            type: MessageType.AeoStatusSync,
            agreementId: a.id,
            purpose,
            at: now,
          });
          if (d.permitted && !found.has(party)) found.set(party, { party, agreement: a.id, purpose });
        }
      }
    return [...found.values()];
  }

  private async syncPartner(
    partner: { party: PartyId; agreement: string; purpose: string },
    programme: string,
    operators: readonly OwnOperator[],
  ): Promise<PartnerSyncResult> {
    const consenting = operators.filter((o) => o.consent);
    const previous = await this.registry.shared(partner.party, programme);
    const full = previous.sequence === undefined;
    const changed = full
      ? consenting
      : consenting.filter((o) => previous.digests.get(o.operatorId) !== digest(o));
    const stillShared = new Set(consenting.map((o) => o.operatorId));
    const withdrawn = full ? [] : [...previous.digests.keys()].filter((id) => !stillShared.has(id));
    const base = {
      partner: partner.party,
      agreement: partner.agreement,
      programme,
      withoutConsent: operators.length - consenting.length,
    };
    if (!full && changed.length === 0 && withdrawn.length === 0)
      return { ...base, kind: 'none', operatorsSent: 0, withdrawn: 0, messageIds: [] };

    // One message carries at most MAX_AEO_OPERATORS operators and as many withdrawals; a larger
    // programme goes as a FULL slice followed by DELTA slices, each with the next sequence.
    const slices = Math.max(
      Math.ceil(changed.length / MAX_AEO_OPERATORS),
      Math.ceil(withdrawn.length / MAX_AEO_OPERATORS),
      1,
    );
    let sequence = previous.sequence ?? 0;
    const messageIds: string[] = [];
    for (let k = 0; k < slices; k++) {
      const ops = changed.slice(k * MAX_AEO_OPERATORS, (k + 1) * MAX_AEO_OPERATORS);
      const gone = withdrawn.slice(k * MAX_AEO_OPERATORS, (k + 1) * MAX_AEO_OPERATORS);
      const sliceFull = full && k === 0;
      sequence += 1;
      const now = this.clock.now();
      let sent: { id: string };
      try {
        sent = await this.submit.submit(SYNC_CLIENT, {
          type: MessageType.AeoStatusSync,
          to: partner.party,
          agreement: partner.agreement,
          purpose: partner.purpose,
          payload: {
            programme,
            kind: sliceFull ? 'SYNC_KIND_FULL' : 'SYNC_KIND_DELTA',
            sequence,
            asOf: now.toISOString(),
            ...(ops.length > 0 ? { operators: ops.map(shared) } : {}),
            ...(gone.length > 0 ? { withdrawnOperatorIds: gone } : {}),
          },
        });
      } catch (error) {
        if (!(error instanceof ExchangeError)) throw error;
        return {
          ...base,
          kind: full ? 'FULL' : 'DELTA',
          operatorsSent: k * MAX_AEO_OPERATORS,
          withdrawn: 0,
          messageIds,
          refused: `${error.code} (${String(error.details.rule ?? '')})`,
        };
      }
      messageIds.push(sent.id);
      await this.db.transaction((tx) =>
        this.registry.recordShared(tx, {
          recipient: partner.party,
          programme,
          sequence,
          messageId: sent.id,
          at: now,
          full: sliceFull,
          shared: ops.map((o) => ({ operatorId: o.operatorId, digest: digest(o) })),
          withdrawn: gone,
        }),
      );
    }
    return {
      ...base,
      kind: full ? 'FULL' : 'DELTA',
      operatorsSent: changed.length,
      withdrawn: withdrawn.length,
      messageIds,
    };
  }
}

/** The fields an operator travels with (consent is true for every operator sent). */
function shared(o: OwnOperator): Record<string, unknown> {
  return {
    operatorId: o.operatorId,
    name: o.name,
    address: o.address,
    country: o.country,
    status: o.status,
    statusDate: o.statusDate,
    validationDate: o.validationDate,
    consent: true,
  };
}

/** What a partner holds of an operator, as a digest: a different digest means the operator changed. */
function digest(o: OwnOperator): string {
  const s = shared(o);
  const address = o.address as Record<string, unknown>;
  const canonical = JSON.stringify([
    s.operatorId,
    s.name,
    Object.keys(address)
      .sort()
      .map((k) => [k, address[k]]),
    s.country,
    s.status,
    s.statusDate,
    s.validationDate,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

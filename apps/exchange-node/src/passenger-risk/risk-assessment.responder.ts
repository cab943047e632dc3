import { ReturningTravelerRecogniser } from '../personal-data/returning-traveler.recogniser';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { MessageType } from '@app/contracts';
import { type InboxMessageRecord, InboxRepository } from '@app/persistence';
import { InboundHandlers } from '../receive-message/inbound-handlers.registry';
import { ExchangeError } from '../shared/exchange.error';
import { ReplicaCoordinator } from '../shared/replica.coordinator';
import { WakeLoop } from '../shared/wake-loop';
import { SubmitMessageService } from '../submit-message/submit-message.service';
import { TRAVELER_ASSESSOR, type TravelerAssessor, type TravelerFacts } from './assessment/traveler-assessor';
import { toRiskAssessmentPayload } from './risk-assessment.payload';

/** How long a replica has to answer a query it claimed before another may. */
const ANSWER_CLAIM_MS = 60_000;

const ASSESSOR_CLIENT = { id: 'risk-assessor', agency: 'system', roles: ['officer'] as const };

/**
 * Answers every traveler risk query this node stored and has not answered yet, through the normal
 * outbound path (agreement decision, signature, encryption, outbox). Driven by a wake-up after each
 * accepted query and by a poll, so a query stored just before a crash is still answered after restart.
 * Refers to travelers only by their references in logs.
 */
@Injectable()
export class RiskAssessmentResponder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RiskAssessmentResponder.name);
  private readonly loop = new WakeLoop(
    () => this.answerPending(),
    (error: unknown) =>
      this.logger.warn(
        `answering risk queries failed, will retry: ${error instanceof Error ? error.message : String(error)}`,
      ),
  );
  /** Queries the agreements refused to answer (e.g. suspended): logged once, not retried in a loop. */
  private readonly refused = new Set<string>();

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly submit: SubmitMessageService,
    @Optional() @Inject(TRAVELER_ASSESSOR) private readonly assessor: TravelerAssessor | null,
    handlers: InboundHandlers,
    private readonly inbox: InboxRepository,
    private readonly replicas: ReplicaCoordinator,
    private readonly recogniser: ReturningTravelerRecogniser,
  ) {
    // Each accepted query wakes the responder at once rather than at the next poll.
    handlers.register(MessageType.TravelerRiskQuery, () => this.wake());
  }

  get enabled(): boolean {
    return this.assessor !== null;
  }

  onApplicationBootstrap(): void {
    if (this.assessor) this.loop.start(2_000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** Answers what is pending; concurrent wake-ups are folded into one pass. */
  wake(): void {
    if (this.assessor) void this.loop.wake();
  }

  async answerPending(): Promise<number> {
    const pending = await this.unanswered();
    let answered = 0;
    for (const query of pending) {
      // Another replica of the node may be answering this query: one answer per query. The claim
      // lapses if its holder dies before answering, and the query is answered by another then.
      if (!(await this.replicas.claimItem(`answer:${query.sender}/${query.id}`, ANSWER_CLAIM_MS))) continue;
      await this.answer(query).catch(async (error: unknown) => {
        // A fault (database away): free the query for the next pass, of whichever replica.
        await this.replicas.releaseItem(`answer:${query.sender}/${query.id}`).catch(() => undefined);
        throw error;
      });
      answered += 1;
    }
    return answered;
  }

  private async unanswered(): Promise<InboxMessageRecord[]> {
    const pending = await this.inbox.listUnanswered(
      MessageType.TravelerRiskQuery,
      MessageType.RiskAssessment,
      20,
    );
    return pending.filter((q) => !this.refused.has(`${q.sender}/${q.id}`));
  }

  private async answer(query: InboxMessageRecord): Promise<void> {
    const assessor = this.assessor;
    if (!assessor) return;
    const started = Date.now();
    const travelers = (query.payload.travelers ?? []) as Record<string, unknown>[];
    const flight = (query.payload.flight ?? {}) as Record<string, unknown>;
    const departure = new Date(String(flight.scheduledDeparture));
    // Returning travelers are recognised by keyed digests, against earlier queries masked or not.
    const results = await this.recogniser.recognise(
      query,
      travelers,
      assessor.assess(travelers.map(toFacts), { departure }),
    );
    const payload = toRiskAssessmentPayload(query.id, results, flight, this.clock.now());
    try {
      const sent = await this.submit.submit(ASSESSOR_CLIENT, {
        type: MessageType.RiskAssessment,
        to: query.sender,
        agreement: query.agreementId,
        purpose: query.purpose,
        inReplyTo: query.id,
        payload,
      });
      const flagged = results.filter((r) => r.outcome !== 'NO_MATCH').map((r) => r.travelerRef);
      this.logger.log(
        `assessed query ${query.id} from ${query.sender}: ${results.length} travelers, ${flagged.length} flagged (${flagged.join(', ') || 'none'}) in ${Date.now() - started} ms; answer ${sent.id}`,
      );
    } catch (error) {
      if (!(error instanceof ExchangeError)) throw error;
      this.refused.add(`${query.sender}/${query.id}`);
      this.logger.warn(
        `cannot answer query ${query.id} from ${query.sender}: ${error.code} (${error.details.rule ?? ''})`,
      );
    }
  }
}

function toFacts(t: Record<string, unknown>): TravelerFacts {
  const doc = (t.document ?? {}) as Record<string, unknown>;
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    travelerRef: s(t.travelerRef),
    surname: s(t.surname),
    givenNames: s(t.givenNames),
    dateOfBirth: s(t.dateOfBirth),
    nationality: s(t.nationality),
    documentNumber: s(doc.number) || undefined,
    documentIssuingState: s(doc.issuingState) || undefined,
  };
}

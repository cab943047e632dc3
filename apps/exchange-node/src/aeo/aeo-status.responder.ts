import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MessageType } from '@app/contracts';
import { type InboxMessageRecord, InboxRepository } from '@app/persistence';
import { InboundHandlers } from '../receive-message/inbound-handlers.registry';
import { ExchangeError } from '../shared/exchange.error';
import { ReplicaCoordinator } from '../shared/replica.coordinator';
import { WakeLoop } from '../shared/wake-loop';
import { SubmitMessageService } from '../submit-message/submit-message.service';
import { OwnProgrammeSource } from './own-programme.source';

const RESPONDER_CLIENT = { id: 'aeo-responder', agency: 'system', roles: ['officer'] as const };

/**
 * Answers a partner's AEO status query about one operator of this administration's programme, once
 * per query: FOUND with the operator when it consented, otherwise an answer that carries only why
 * (`AEO_ANSWER_OUTCOME_CONSENT_MISSING`, `AEO_ANSWER_OUTCOME_UNKNOWN_OPERATOR`) — the operator's data
 * never leaves the node without consent. Woken after each accepted query and by a poll.
 */
@Injectable()
export class AeoStatusResponder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AeoStatusResponder.name);
  private readonly loop = new WakeLoop(
    () => this.answerPending(),
    (error: unknown) =>
      this.logger.warn(
        `answering AEO queries failed, will retry: ${error instanceof Error ? error.message : String(error)}`,
      ),
  );
  /** Queries the agreements refused to answer: logged once, not retried in a loop. */
  private readonly refused = new Set<string>();

  constructor(
    private readonly source: OwnProgrammeSource,
    private readonly submit: SubmitMessageService,
    private readonly inbox: InboxRepository,
    handlers: InboundHandlers,
    private readonly replicas: ReplicaCoordinator,
  ) {
    handlers.register(MessageType.AeoStatusQuery, () => void this.loop.wake());
  }

  onApplicationBootstrap(): void {
    this.loop.start(2_000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  private async answerPending(): Promise<void> {
    const pending = (
      await this.inbox.listUnanswered(MessageType.AeoStatusQuery, MessageType.AeoStatusAnswer, 20)
    ).filter((q) => !this.refused.has(`${q.sender}/${q.id}`));
    if (pending.length === 0) return;
    const own = await this.source.read();
    for (const query of pending)
      // One answer per query across the node's replicas (the claim lapses if its holder dies).
      if (await this.replicas.claimItem(`answer:${query.sender}/${query.id}`, 60_000))
        await this.answer(query, own);
  }

  private async answer(
    query: InboxMessageRecord,
    own: Awaited<ReturnType<OwnProgrammeSource['read']>>,
  ): Promise<void> {
    const { programme, operatorId } = query.payload as { programme: string; operatorId: string };
    const operator =
      own?.programme === programme ? own.operators.find((o) => o.operatorId === operatorId) : undefined;
    const outcome = !operator
      ? 'AEO_ANSWER_OUTCOME_UNKNOWN_OPERATOR'
      : operator.consent
        ? 'AEO_ANSWER_OUTCOME_FOUND'
        : 'AEO_ANSWER_OUTCOME_CONSENT_MISSING';
    try {
      const sent = await this.submit.submit(RESPONDER_CLIENT, {
        type: MessageType.AeoStatusAnswer,
        to: query.sender,
        agreement: query.agreementId,
        purpose: query.purpose,
        inReplyTo: query.id,
        payload: {
          queryMessageId: query.id,
          outcome,
          ...(outcome === 'AEO_ANSWER_OUTCOME_FOUND' && operator
            ? {
                operator: {
                  operatorId: operator.operatorId,
                  name: operator.name,
                  address: operator.address,
                  country: operator.country,
                  status: operator.status,
                  statusDate: operator.statusDate,
                  validationDate: operator.validationDate,
                  consent: true,
                },
              }
            : {}),
        },
      });
      this.logger.log(`answered AEO query ${query.id} from ${query.sender}: ${outcome}; answer ${sent.id}`);
    } catch (error) {
      if (!(error instanceof ExchangeError)) throw error;
      this.refused.add(`${query.sender}/${query.id}`);
      this.logger.warn(
        `cannot answer AEO query ${query.id} from ${query.sender}: ${error.code} (${String(error.details.rule ?? '')})`,
      );
    }
  }
}

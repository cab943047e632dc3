import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { base64Decode } from '@bufbuild/protobuf/wire';
import type { AgreementsCatalog } from '@app/agreements';
import { CLOCK, type Clock } from '@app/config';
import { decodePayload, MessageType } from '@app/contracts';
import {
  AmendmentsRepository,
  AuditLogRepository,
  type Db,
  type InboxMessageRecord,
  InboxRepository,
} from '@app/persistence';
import { InboundHandlers } from '../receive-message/inbound-handlers.registry';
import { ExchangeError } from '../shared/exchange.error';
import { ReplicaCoordinator } from '../shared/replica.coordinator';
import { CATALOG, DB } from '../shared/tokens';
import { WakeLoop } from '../shared/wake-loop';
import { SubmitMessageService } from '../submit-message/submit-message.service';

const APPLIER_CLIENT = { id: 'amendment-applier', agency: 'system', roles: ['officer'] as const };

/**
 * Applies the corrections and withdrawals this node accepted (the judge made sure each comes from the
 * provider of the message it amends) and answers each with a signed AmendmentConfirmation. Applying is
 * one transaction with its audit entry; the confirmation follows; a pass interrupted between the two
 * applies again (no change) and confirms. Woken after each accepted notice and by a poll.
 */
@Injectable()
export class AmendmentApplier implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AmendmentApplier.name);
  private readonly loop = new WakeLoop(
    () => this.applyPending(),
    (error: unknown) =>
      this.logger.warn(
        `applying corrections and withdrawals failed, will retry: ${error instanceof Error ? error.message : String(error)}`,
      ),
  );
  /** Notices that cannot be confirmed (the agreements refuse the answer): logged once, not retried in a loop. */
  private readonly unanswerable = new Set<string>();

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CATALOG) private readonly catalog: AgreementsCatalog,
    private readonly inbox: InboxRepository,
    private readonly amendments: AmendmentsRepository,
    private readonly audit: AuditLogRepository,
    private readonly submitter: SubmitMessageService,
    handlers: InboundHandlers,
    private readonly replicas: ReplicaCoordinator,
  ) {
    handlers.register(MessageType.Correction, () => void this.loop.wake());
    handlers.register(MessageType.Withdrawal, () => void this.loop.wake());
  }

  onApplicationBootstrap(): void {
    this.loop.start(2_000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  private async applyPending(): Promise<void> {
    const pending = [
      ...(await this.inbox.listUnanswered(MessageType.Correction, MessageType.AmendmentConfirmation, 20)),
      ...(await this.inbox.listUnanswered(MessageType.Withdrawal, MessageType.AmendmentConfirmation, 20)),
    ]
      .filter((n) => !this.unanswerable.has(`${n.sender}/${n.id}`))
      // In the order they arrived: a correction then a withdrawal leaves the message withdrawn.
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
    for (const notice of pending)
      // One application and one confirmation per notice across the node's replicas (the claim lapses
      // if its holder dies; applying again changes nothing).
      if (await this.replicas.claimItem(`amend:${notice.sender}/${notice.id}`, 60_000))
        await this.apply(notice);
  }

  private async apply(notice: InboxMessageRecord): Promise<void> {
    const concerns = String(notice.payload.concernsMessageId);
    const original = await this.inbox.find(notice.sender, concerns);
    if (!original) {
      // The judge accepted it only with the original present; gone since (a restore): nothing to apply.
      this.unanswerable.add(`${notice.sender}/${notice.id}`);
      this.logger.warn(`amendment ${notice.id} from ${notice.sender}: the message it amends is not held`);
      return;
    }
    const withdrawal = notice.type === MessageType.Withdrawal;
    const keepSuperseded =
      this.catalog.agreements.find((a) => a.id === original.agreementId)?.keepSuperseded ?? false;
    const replacement = withdrawal
      ? null
      : decodePayload(original.type as MessageType, base64Decode(String(notice.payload.replacement)));
    const now = this.clock.now();
    const kept = await this.db.transaction(async (tx) => {
      const keptVersion = await this.amendments.apply(tx, {
        sender: notice.sender,
        messageId: original.id,
        amendmentId: notice.id,
        kind: withdrawal ? 'withdrawn' : 'corrected',
        replacement,
        keepSuperseded,
        now,
      });
      await this.audit.append(
        tx,
        now,
        withdrawal ? 'message.withdrawn' : 'message.corrected',
        original.id,
        notice.sender,
        {
          amendment: notice.id,
          type: original.type,
          agreement: original.agreementId,
          supersededKept: keptVersion,
        },
      );
      return keptVersion;
    });
    try {
      await this.submitter.submit(APPLIER_CLIENT, {
        type: MessageType.AmendmentConfirmation,
        to: notice.sender,
        agreement: notice.agreementId,
        purpose: notice.purpose,
        inReplyTo: notice.id,
        payload: {
          amendmentMessageId: notice.id,
          concernsMessageId: original.id,
          applied: withdrawal ? 'AMENDMENT_APPLIED_WITHDRAWN' : 'AMENDMENT_APPLIED_CORRECTED',
          ...(kept ? { supersededVersionKept: true } : {}),
        },
      });
      this.logger.log(
        `${withdrawal ? 'withdrew' : 'corrected'} ${original.id} from ${notice.sender}; confirmed`,
      );
    } catch (error) {
      if (!(error instanceof ExchangeError)) throw error;
      this.unanswerable.add(`${notice.sender}/${notice.id}`);
      this.logger.warn(
        `applied amendment ${notice.id} from ${notice.sender} but cannot confirm it: ${error.code} (${String(error.details.rule ?? '')})`,
      );
    }
  }
}

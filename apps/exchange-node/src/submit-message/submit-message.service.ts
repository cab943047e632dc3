import { checkScope } from '../personal-data/client-scope';
import { ClientScopes } from '../personal-data/client-scopes.registry';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type AgreementsCatalog, checkPersonalData, decide } from '@app/agreements';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { messageTypeInfo, type MessageType, resolveMessageType, uuidv7 } from '@app/contracts';
import type { FlowEventsPublisher } from '@app/observability';
import {
  AuditLogRepository,
  type Db,
  type GroupCommitter,
  IdempotencyKeysRepository,
  InboxRepository,
  OutboundMessagesRepository,
  OutboxRepository,
} from '@app/persistence';
import { type ApiClient, excerpt } from '@app/api-edge';
import { OutboxRelay } from '../outbox/outbox.relay';
import { ExchangeError } from '../shared/exchange.error';
import { RecordCodec } from '../shared/record.codec';
import { CATALOG, DB, FLOW_EVENTS, GROUP_COMMIT } from '../shared/tokens';
import type { SubmitMessageDto } from './submit-message.dto';

export interface SubmitResult {
  readonly id: string;
  readonly conversationId: string;
  readonly status: 'queued';
}

/**
 * Outbound pipeline (docs/architecture.md): authorise against the agreements → build the envelope → encrypt
 * where the family requires → sign → store the message and its outbox row in one transaction. The
 * relay publishes it; the peer's receipt settles it. A refused submission produces nothing on Kafka.
 */
@Injectable()
export class SubmitMessageService {
  private readonly logger = new Logger(SubmitMessageService.name);

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CATALOG) private readonly catalog: AgreementsCatalog,
    @Inject(DB) private readonly db: Db,
    @Inject(GROUP_COMMIT) private readonly commits: GroupCommitter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(FLOW_EVENTS) private readonly flow: FlowEventsPublisher,
    private readonly sealer: RecordCodec,
    private readonly relay: OutboxRelay,
    private readonly outbound: OutboundMessagesRepository,
    private readonly inbox: InboxRepository,
    private readonly outbox: OutboxRepository,
    private readonly audit: AuditLogRepository,
    private readonly idempotencyKeys: IdempotencyKeysRepository,
    private readonly scopes: ClientScopes,
  ) {}

  /**
   * `payloadValidated`: the REST edge (SubmissionPipe) has validated `dto.payload` already.
   * `idempotency`: the client's key, stored with the message in its transaction (IdempotentSubmissions).
   * `conversationId`: a message about an earlier one (a correction, a consent request) that answers
   * nothing joins its conversation, so it travels on the same record key, after it.
   */
  async submit(
    client: ApiClient,
    dto: SubmitMessageDto,
    options: {
      payloadValidated?: boolean;
      idempotency?: { key: string; requestSha256: string };
      conversationId?: string;
    } = {},
  ): Promise<SubmitResult> {
    const started = Date.now();
    const now = this.clock.now();
    const type = this.resolveType(dto.type);
    if (!this.catalog.parties.has(dto.to)) {
      // The unknown name is the client's input: the flow event carries the rule, not the name.
      this.emitSubmit(now, 'UNKNOWN_PARTY', { type, rule: 'to' }, started);
      throw new ExchangeError('UNKNOWN_PARTY', 400, `unknown recipient "${excerpt(dto.to)}"`, {
        rule: 'to',
      });
    }
    const conversationId = (await this.resolveConversation(type, dto)) ?? options.conversationId;

    const decision = decide(this.catalog, {
      sender: this.config.party,
      recipient: dto.to,
      type,
      agreementId: dto.agreement,
      purpose: dto.purpose,
      at: now,
      inReplyTo: dto.inReplyTo ?? null,
    });
    if (!decision.permitted) {
      await this.commits.run((tx) =>
        this.audit.append(tx, now, 'message.refused', null, dto.to, {
          type,
          reason: decision.reason,
          rule: decision.rule,
          agreement: decision.agreementId ?? null,
          client: client.id,
        }),
      );
      this.emitSubmit(
        now,
        decision.reason,
        { type, recipient: dto.to, agreementId: decision.agreementId, rule: decision.rule },
        started,
      );
      throw new ExchangeError(decision.reason, 403, decision.detail, {
        rule: decision.rule,
        agreementId: decision.agreementId,
      });
    }

    const scope = checkScope(this.scopes.of(client.id), decision.agreementId, type);
    if (!scope.inScope) {
      this.emitSubmit(
        now,
        scope.reason,
        { type, recipient: dto.to, agreementId: decision.agreementId, rule: scope.rule },
        started,
      );
      throw new ExchangeError(scope.reason, 403, scope.detail, {
        rule: scope.rule,
        agreementId: decision.agreementId,
      });
    }

    const fields = checkPersonalData(decision.agreement, dto.payload);
    if (!fields.permitted) {
      const rule = `payload.${fields.field}`;
      this.emitSubmit(
        now,
        fields.reason,
        { type, recipient: dto.to, agreementId: decision.agreementId, rule },
        started,
      );
      throw new ExchangeError(fields.reason, 403, fields.detail, { rule, agreementId: decision.agreementId });
    }

    const id = uuidv7();
    const header = {
      messageId: id,
      conversationId: conversationId ?? id,
      inReplyTo: dto.inReplyTo ?? '',
      type,
      schemaVersion: 'v1',
      sender: this.config.party,
      recipient: dto.to,
      agreementId: decision.agreementId,
      purpose: dto.purpose,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.limits.messageTtlSeconds * 1000),
    };
    const sealed = await this.sealer.seal(header, dto.payload, 'message', options);
    await this.commits.run(async (tx) => {
      await this.outbound.insert(tx, {
        id,
        conversationId: header.conversationId,
        inReplyTo: dto.inReplyTo ?? null,
        type,
        recipient: dto.to,
        agreementId: decision.agreementId,
        purpose: dto.purpose,
        createdAt: now,
        expiresAt: header.expiresAt,
        payload: dto.payload,
        recordDigest: sealed.digest,
        recordValue: sealed.value,
        status: 'queued',
        reasonCode: null,
        reasonRule: null,
        reasonDetail: null,
        submittedBy: client.id,
      });
      await this.outbox.enqueue(tx, [sealed.outbox]);
      if (options.idempotency)
        await this.idempotencyKeys.insert(tx, {
          clientId: client.id,
          key: options.idempotency.key,
          requestSha256: options.idempotency.requestSha256,
          messageId: id,
          conversationId: header.conversationId,
          createdAt: now,
        });
      await this.audit.append(tx, now, 'message.submitted', id, dto.to, {
        type,
        agreement: decision.agreementId,
        digest: sealed.digest,
        client: client.id,
      });
    });
    this.relay.wake();
    this.emitSubmit(
      now,
      'OK',
      {
        type,
        recipient: dto.to,
        agreementId: decision.agreementId,
        messageId: id,
        conversationId: header.conversationId,
        sizeBytes: sealed.value.length,
      },
      started,
    );
    this.logger.log(
      `accepted ${messageTypeInfo(type).name} ${id} for ${dto.to} under ${decision.agreementId} (client ${client.id})`,
    );
    return { id, conversationId: header.conversationId, status: 'queued' };
  }

  private resolveType(value: string): MessageType {
    const type = resolveMessageType(value);
    if (!type)
      throw new ExchangeError('UNKNOWN_MESSAGE_TYPE', 400, `unknown message type "${excerpt(value)}"`, {
        rule: 'type',
      });
    return type;
  }

  /**
   * A reply joins the conversation of the message it answers, which must be one this node received
   * from the same party, of a type the reply may answer. A new message starts its own conversation.
   */
  private async resolveConversation(type: MessageType, dto: SubmitMessageDto): Promise<string | undefined> {
    if (!dto.inReplyTo) return undefined;
    const original = await this.inbox.find(dto.to, dto.inReplyTo);
    if (!original) {
      // The message it answers is a resource this node does not have: 404, like any unknown id.
      throw new ExchangeError(
        'UNKNOWN_CONVERSATION',
        404,
        `no message ${dto.inReplyTo} from ${dto.to} was received here`,
        { rule: 'inReplyTo' },
      );
    }
    const repliesTo = messageTypeInfo(type).repliesTo;
    if (repliesTo.length > 0 && !repliesTo.includes(original.type as MessageType)) {
      throw new ExchangeError(
        'TYPE_NOT_PERMITTED',
        400,
        `${messageTypeInfo(type).name} cannot answer a ${original.type}`,
        { rule: 'inReplyTo' },
      );
    }
    return original.conversationId;
  }

  private emitSubmit(
    at: Date,
    outcome: string,
    meta: {
      type: string;
      recipient?: string;
      agreementId?: string;
      rule?: string;
      messageId?: string;
      conversationId?: string;
      sizeBytes?: number;
    },
    started: number,
  ): void {
    this.flow.emit({
      at: at.toISOString(),
      node: this.config.party,
      stage: 'submit',
      outcome,
      sender: this.config.party,
      durationMs: Date.now() - started,
      ...meta,
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { uuidv7 } from '@app/contracts';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import {
  AuditLogRepository,
  type Db,
  MaskingRepository,
  type UnmaskRequest,
  UnmaskRequestsRepository,
} from '@app/persistence';
import type { ApiClient } from '@app/api-edge';
import { ExchangeError } from '../shared/exchange.error';
import { DB } from '../shared/tokens';
import { MASKING_KEYS, type MaskingKeys } from './masking.keys';

const HOUR_MS = 3_600_000;

export interface UnmaskRequestView {
  readonly id: string;
  readonly messageId: string;
  readonly status: 'pending' | 'approved' | 'expired';
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly expiresAt: string;
  readonly approvedBy?: string;
  readonly viewUntil?: string;
}

/**
 * Four eyes over unmasking one masked message: a DPO asks, a different DPO approves within
 * PUENTE_UNMASK_REQUEST_HOURS, and then only the DPO who asked reads the original, for
 * PUENTE_UNMASK_VIEW_HOURS. Every step is an entry in the audit chain (and so in the access log).
 */
@Injectable()
export class UnmaskService {
  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DB) private readonly db: Db,
    @Inject(MASKING_KEYS) private readonly keys: MaskingKeys | null,
    private readonly messages: MaskingRepository,
    private readonly requests: UnmaskRequestsRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  async request(client: ApiClient, messageId: string, purpose: string): Promise<UnmaskRequestView> {
    const message = await this.messages.find(messageId);
    if (!message) throw ExchangeError.notFound(`message ${messageId}`);
    if (!message.maskedAt || !message.maskedOriginal)
      throw new ExchangeError(
        'UNMASK_NOT_MASKED',
        409,
        'the message is not masked (or its data was removed)',
      );
    const now = this.clock.now();
    const request = {
      id: uuidv7(),
      messageId,
      requestedBy: client.id,
      requestedAt: now,
      expiresAt: new Date(now.getTime() + this.config.personalData.unmaskRequestHours * HOUR_MS),
    };
    await this.db.transaction(async (tx) => {
      await this.requests.insert(tx, request);
      await this.audit.append(tx, now, 'message.unmask-requested', messageId, null, {
        client: client.id,
        purpose,
        request: request.id,
        agreement: message.agreementId,
      });
    });
    return view({ ...request, approvedBy: null, approvedAt: null, viewUntil: null }, now);
  }

  async approve(client: ApiClient, requestId: string, purpose: string): Promise<UnmaskRequestView> {
    const now = this.clock.now();
    const request = await this.requests.find(requestId);
    if (!request) throw ExchangeError.notFound(`unmask request ${requestId}`);
    if (request.requestedBy === client.id)
      throw new ExchangeError(
        'UNMASK_SAME_CLIENT',
        403,
        'a second DPO, not the one who asked, approves an unmask',
      );
    if (request.approvedBy)
      throw new ExchangeError('UNMASK_ALREADY_APPROVED', 409, 'the request is approved already');
    if (request.expiresAt <= now)
      throw new ExchangeError(
        'UNMASK_REQUEST_EXPIRED',
        410,
        'the request waited too long for its approval: ask again',
      );
    const viewUntil = new Date(now.getTime() + this.config.personalData.unmaskViewHours * HOUR_MS);
    await this.db.transaction(async (tx) => {
      if (!(await this.requests.approve(tx, requestId, client.id, now, viewUntil)))
        throw new ExchangeError('UNMASK_ALREADY_APPROVED', 409, 'the request is approved already');
      await this.audit.append(tx, now, 'message.unmask-approved', request.messageId, null, {
        client: client.id,
        purpose,
        request: requestId,
        requestedBy: request.requestedBy,
      });
    });
    return view({ ...request, approvedBy: client.id, approvedAt: now, viewUntil }, now);
  }

  /** The original payload, for the DPO who asked, once approved and within the view period. */
  async read(
    client: ApiClient,
    requestId: string,
    purpose: string,
  ): Promise<{ messageId: string; payload: Record<string, unknown> }> {
    const now = this.clock.now();
    const request = await this.requests.find(requestId);
    if (!request) throw ExchangeError.notFound(`unmask request ${requestId}`);
    if (request.requestedBy !== client.id)
      throw new ExchangeError(
        'UNMASK_NOT_REQUESTER',
        403,
        'only the DPO who asked reads the unmasked message',
      );
    if (!request.approvedBy || !request.viewUntil)
      throw new ExchangeError('UNMASK_NOT_APPROVED', 403, 'a second DPO has not approved this request');
    if (request.viewUntil <= now)
      throw new ExchangeError('UNMASK_VIEW_EXPIRED', 410, 'the approval’s view period is over: ask again');
    const message = await this.messages.find(request.messageId);
    if (!message?.maskedOriginal || !this.keys)
      throw new ExchangeError(
        'UNMASK_NOT_MASKED',
        409,
        'the message is not masked (or its data was removed)',
      );
    const payload = this.keys.open(message.maskedOriginal);
    await this.db.transaction((tx) =>
      this.audit.append(tx, now, 'message.unmasked-read', request.messageId, null, {
        client: client.id,
        purpose,
        request: requestId,
        approvedBy: request.approvedBy,
      }),
    );
    return { messageId: request.messageId, payload };
  }
}

function view(r: UnmaskRequest, now: Date): UnmaskRequestView {
  return {
    id: r.id,
    messageId: r.messageId,
    status: r.approvedBy ? 'approved' : r.expiresAt <= now ? 'expired' : 'pending',
    requestedBy: r.requestedBy,
    requestedAt: r.requestedAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    approvedBy: r.approvedBy ?? undefined,
    viewUntil: r.viewUntil?.toISOString(),
  };
}

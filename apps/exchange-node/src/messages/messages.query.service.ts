import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { resolveMessageType } from '@app/contracts';
import {
  AmendmentsRepository,
  ConsentLedgerRepository,
  InboxRepository,
  OutboundMessagesRepository,
  ReceiptsRepository,
} from '@app/persistence';
import { ExchangeError } from '../shared/exchange.error';
import { excerpt } from '@app/api-edge';
import { appliedAmendmentView, consentView, sentAmendmentView } from './message-annotations.view';
import { inboundView, isOverdue, type MessageView, outboundView } from './message.view';

export interface InboxQuery {
  readonly type?: string;
  readonly from?: string;
  readonly conversation?: string;
  readonly limit: number;
}

/** Reads for the REST API: this node's own messages only — each administration has its own database. */
@Injectable()
export class MessagesQueryService {
  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly sent: OutboundMessagesRepository,
    private readonly received: InboxRepository,
    private readonly receipts: ReceiptsRepository,
    private readonly consents: ConsentLedgerRepository,
    private readonly amendments: AmendmentsRepository,
  ) {}

  async message(id: string): Promise<MessageView> {
    return this.annotate(await this.bare(id));
  }

  /** The consent ledger's entries for the message and its amendments, where there are any. */
  private async annotate(view: MessageView): Promise<MessageView> {
    const consents = await this.consents.list(this.config.party, { concernsMessageId: view.id, limit: 100 });
    const sent = view.direction === 'outbound' ? await this.amendments.sentFor(view.id) : [];
    const applied =
      view.direction === 'inbound' ? await this.amendments.marker(view.from, view.id) : undefined;
    return {
      ...view,
      ...(consents.length > 0 ? { consents: consents.map(consentView) } : {}),
      ...(sent.length > 0 ? { amendments: sent.map(sentAmendmentView) } : {}),
      ...(applied ? { amendment: appliedAmendmentView(applied) } : {}),
    };
  }

  private async bare(id: string): Promise<MessageView> {
    const sent = await this.sent.findById(id);
    if (sent) {
      const view = outboundView(
        this.config.party,
        sent,
        await this.receipts.find('received', sent.recipient, sent.id),
      );
      const replies = await this.received.listReplies(sent.id);
      const overdue = isOverdue(view, replies.length > 0, this.clock.now()) || undefined;
      return replies.length > 0
        ? { ...view, overdue, replies: replies.map((r) => inboundView(this.config.party, r)) }
        : { ...view, overdue };
    }
    const received = await this.received.findById(id);
    if (received) {
      const view = inboundView(
        this.config.party,
        received,
        await this.receipts.find('issued', received.sender, received.id),
      );
      const answered = (await this.sent.answered([received.id])).has(received.id);
      return { ...view, overdue: isOverdue(view, answered, this.clock.now()) || undefined };
    }
    throw ExchangeError.notFound(`message ${id}`);
  }

  async inbox(query: InboxQuery): Promise<MessageView[]> {
    const type = query.type ? resolveMessageType(query.type) : undefined;
    if (query.type && !type)
      throw new ExchangeError('UNKNOWN_MESSAGE_TYPE', 400, `unknown message type "${excerpt(query.type)}"`, {
        rule: 'type',
      });
    const rows = await this.received.list({
      type,
      sender: query.from,
      conversationId: query.conversation,
      limit: query.limit,
    });
    const receipts = await this.receipts.findMany(
      'issued',
      rows.map((m) => m.id),
    );
    const answered = await this.sent.answered(rows.map((m) => m.id));
    const now = this.clock.now();
    return rows.map((m) => {
      const view = inboundView(this.config.party, m, receipts.get(`${m.sender}/${m.id}`));
      return { ...view, overdue: isOverdue(view, answered.has(m.id), now) || undefined };
    });
  }

  /** What this node sent, newest first, each with its receipt and whether it was answered. */
  async sentList(query: {
    type?: string;
    to?: string;
    conversation?: string;
    limit: number;
  }): Promise<MessageView[]> {
    const type = query.type ? resolveMessageType(query.type) : undefined;
    if (query.type && !type)
      throw new ExchangeError('UNKNOWN_MESSAGE_TYPE', 400, `unknown message type "${excerpt(query.type)}"`, {
        rule: 'type',
      });
    const rows = await this.sent.list({
      type,
      recipient: query.to,
      conversationId: query.conversation,
      limit: query.limit,
    });
    const receipts = await this.receipts.findMany(
      'received',
      rows.map((m) => m.id),
    );
    const now = this.clock.now();
    const answered = await this.received.answeredAmong(rows.map((m) => m.id));
    return rows.map((m) => {
      const view = outboundView(this.config.party, m, receipts.get(`${m.recipient}/${m.id}`));
      return { ...view, overdue: isOverdue(view, answered.has(m.id), now) || undefined };
    });
  }

  /** The whole thread as this node saw it, both directions, in the order the messages were created. */
  async conversation(id: string): Promise<MessageView[]> {
    const [sent, received] = await Promise.all([
      this.sent.listByConversation(id),
      this.received.listByConversation(id),
    ]);
    if (sent.length === 0 && received.length === 0) throw ExchangeError.notFound(`conversation ${id}`);
    const [receiptsReceived, receiptsIssued] = await Promise.all([
      this.receipts.findMany(
        'received',
        sent.map((m) => m.id),
      ),
      this.receipts.findMany(
        'issued',
        received.map((m) => m.id),
      ),
    ]);
    const views = [
      ...sent.map((m) => outboundView(this.config.party, m, receiptsReceived.get(`${m.recipient}/${m.id}`))),
      ...received.map((m) => inboundView(this.config.party, m, receiptsIssued.get(`${m.sender}/${m.id}`))),
    ];
    return views.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { NODE_CONFIG, type NodeConfig } from '@app/config';
import { type ConsentEntry, type ConsentFilter, ConsentLedgerRepository } from '@app/persistence';

/** A provider's consent in force for one further use of one message it sent to this node. */
export interface ConsentGrant {
  readonly messageId: string;
  readonly provider: string;
  /** The party the message may be passed on to, or the use it may be put to. */
  readonly recipientOrUse: string;
  readonly requestId: string;
  /** The provider's signed ConsentDecision (its message id). */
  readonly decisionId: string;
  readonly conditions: readonly string[];
  readonly decidedAt: Date;
}

/**
 * This node's consent ledger: the consent it asked of providers (for messages it received) and the
 * consent asked of it (for messages it sent), as the signed ConsentRequest and ConsentDecision messages
 * record them. `grantFor` is the one question every further use asks — forwarding, evidence export to
 * a third party, a read under a declared purpose outside the agreement's.
 */
@Injectable()
export class ConsentLedger {
  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    private readonly entries: ConsentLedgerRepository,
  ) {}

  /**
   * The grant in force for using received message `messageId` for `recipientOrUse` (a party id, or a
   * use such as `prosecution-evidence`), or null. The provider's latest decision counts: a refusal
   * keeps the use refused, and a later grant (on a new request) allows it; pending requests allow nothing.
   */
  async grantFor(messageId: string, recipientOrUse: string): Promise<ConsentGrant | null> {
    return (await this.grantsFor([messageId], recipientOrUse)).get(messageId) ?? null;
  }

  /** `grantFor` for each of `messageIds` in one read of the ledger: message id → grant in force. */
  async grantsFor(messageIds: readonly string[], recipientOrUse: string): Promise<Map<string, ConsentGrant>> {
    const asked = await this.entries.requestedForEach(this.config.party, messageIds, recipientOrUse);
    const grants = new Map<string, ConsentGrant>();
    for (const [messageId, entries] of asked) {
      const latest = entries.find((e) => e.status !== 'pending');
      if (!latest || latest.status !== 'granted' || !latest.decisionId || !latest.decidedAt) continue;
      grants.set(messageId, {
        messageId,
        provider: latest.provider,
        recipientOrUse,
        requestId: latest.requestId,
        decisionId: latest.decisionId,
        conditions: latest.conditions,
        decidedAt: latest.decidedAt,
      });
    }
    return grants;
  }

  /** The latest decision about `messageId` for `recipientOrUse`, if one was made (to say why a use is refused). */
  async latestDecision(messageId: string, recipientOrUse: string): Promise<ConsentEntry | undefined> {
    const asked = await this.entries.requestedFor(this.config.party, messageId, recipientOrUse);
    return asked.find((e) => e.status !== 'pending');
  }

  /** Every consent entry about `messageId`, either side, newest first (shown with the message). */
  forMessage(messageId: string): Promise<ConsentEntry[]> {
    return this.entries.list(this.config.party, { concernsMessageId: messageId, limit: 100 });
  }

  list(filter: ConsentFilter): Promise<ConsentEntry[]> {
    return this.entries.list(this.config.party, filter);
  }

  find(requestId: string): Promise<ConsentEntry | undefined> {
    return this.entries.find(this.config.party, requestId);
  }
}

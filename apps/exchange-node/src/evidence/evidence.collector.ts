import { agreementDocument, agreementSha256, type AgreementsCatalog } from '@app/agreements';
import { decodeEnvelope, MessageType, type PartyId } from '@app/contracts';
import {
  type BundleInput,
  type BundleMessage,
  type BundleReceipt,
  type ManifestConsent,
  type TimelineEvent,
  writeEvidenceBundle,
} from '@app/evidence';
import {
  type AgreementVersionsRepository,
  type AuditCheckpointsRepository,
  type AuditLogRepository,
  type Db,
  type InboxMessageRecord,
  type InboxRepository,
  type OutboundMessageRecord,
  type OutboundMessagesRepository,
  type ReceiptsRepository,
} from '@app/persistence';
import { digestOf, type OwnKeys, type TrustStore, validityJson } from '@app/signing';

export interface EvidenceSources {
  readonly party: PartyId;
  readonly db: Db;
  readonly sent: OutboundMessagesRepository;
  readonly received: InboxRepository;
  readonly receipts: ReceiptsRepository;
  readonly audit: AuditLogRepository;
  readonly checkpoints: AuditCheckpointsRepository;
  readonly agreementVersions: AgreementVersionsRepository;
  readonly trust: TrustStore;
  readonly own: OwnKeys;
}

export class ConversationNotFoundError extends Error {
  constructor(readonly conversationId: string) {
    super(`conversation ${conversationId} is not known to this node`);
    this.name = 'ConversationNotFoundError';
  }
}

/** A bundle made for a third party, and the providers' consents that allow it (checked by the caller). */
export interface ThirdPartyExport {
  readonly exportedFor: string;
  readonly consents: readonly ManifestConsent[];
}

export interface EvidenceExport {
  readonly bundle: Uint8Array;
  readonly messages: number;
  readonly receipts: number;
  readonly auditFrom: number;
  readonly auditTo: number;
}

/**
 * Gathers one conversation's evidence from what the node holds and writes the bundle: the signed
 * records (both directions), the receipts, the payloads as held, the signing keys with their history,
 * the agreement texts in force at each message's time, and the audit segment from the checkpoint
 * before the first entry to the head after this export's own entry (recorded first, so the bundle
 * shows its own export). The REST endpoint and `npm run evidence:export` both call this.
 */
export class EvidenceCollector {
  constructor(private readonly s: EvidenceSources) {}

  /** Records the agreements the node runs with (once per distinct text), from `at` on. */
  static async recordAgreements(
    repo: AgreementVersionsRepository,
    catalog: AgreementsCatalog,
    at: Date,
  ): Promise<number> {
    return repo.record(
      catalog.agreements.map((a) => {
        const document = agreementDocument(a);
        return { agreementId: a.id, sha256: agreementSha256(document), document };
      }),
      at,
    );
  }

  /**
   * `anchor` (the running node's) publishes a signed checkpoint of the head after the export's entry,
   * so that the whole segment is anchored by a checkpoint the peers hold.
   */
  async export(
    conversationId: string,
    client: string,
    now: Date,
    anchor?: () => Promise<void>,
    thirdParty?: ThirdPartyExport,
  ): Promise<EvidenceExport> {
    const { s } = this;
    const [sent, received] = await Promise.all([
      s.sent.listByConversation(conversationId),
      s.received.listByConversation(conversationId),
    ]);
    if (sent.length === 0 && received.length === 0) throw new ConversationNotFoundError(conversationId);
    const ids = [...new Set([...sent, ...received].map((m) => m.id))];

    await s.db.transaction((tx) =>
      s.audit.append(tx, now, 'evidence.exported', null, null, {
        conversation: conversationId,
        client,
        messages: sent.length + received.length,
        ...(thirdParty
          ? {
              exportedFor: thirdParty.exportedFor,
              consents: thirdParty.consents.map((c) => c.decisionId).join(' '),
            }
          : {}),
      }),
    );
    if (anchor) await anchor();
    const head = await s.audit.head();
    const about = await s.audit.seqsAbout(ids);
    const firstSeq = Math.min(head.seq, ...about.map((a) => a.seq));
    const own = await s.checkpoints.listFor(s.party);
    const before = own.filter((c) => c.seq < firstSeq).at(-1);
    const from = before ? before.seq + 1 : 1;
    const checkpoints = own.filter((c) => c.seq >= from - 1 && c.seq <= head.seq);
    const entries = await s.audit.range(from, head.seq);
    const exportSeq =
      entries
        .filter(
          (e) =>
            e.kind === 'evidence.exported' &&
            e.detail.conversation === conversationId &&
            e.detail.client === client,
        )
        .at(-1)?.seq ?? head.seq;

    const seqs = (messageId: string, kinds: readonly string[], receipt?: string) =>
      about
        .filter(
          (a) =>
            a.messageId === messageId &&
            kinds.includes(a.kind) &&
            (receipt === undefined || a.receipt === receipt),
        )
        .map((a) => a.seq);

    const messages: (BundleMessage & { at: number })[] = [];
    const receipts: BundleReceipt[] = [];
    const versions = new Map<string, { id: string; sha256: string; document: string; firstSeenAt: Date }>();
    const agreementAt = async (agreementId: string, at: Date) => {
      const v = await s.agreementVersions.inForceAt(agreementId, at);
      if (!v) return { id: agreementId, sha256: 'sha256:unknown' };
      versions.set(v.sha256, {
        id: v.agreementId,
        sha256: v.sha256,
        document: v.document,
        firstSeenAt: v.firstSeenAt,
      });
      return { id: v.agreementId, sha256: v.sha256 };
    };
    for (const m of sent) {
      const signed = await s.sent.findSignedRecord(m.id);
      messages.push({
        ...this.messageFields(m, 'sent', s.party, m.recipient, signed?.recordValue ?? null),
        agreement: await agreementAt(m.agreementId, m.createdAt),
        auditSeqs: seqs(m.id, ['message.submitted']),
        at: m.createdAt.getTime(),
      });
      for (const r of await s.receipts.listForMessage(m.id))
        if (r.direction === 'received' && r.counterpart === m.recipient)
          receipts.push({ ...receiptFields(r), auditSeqs: seqs(m.id, ['receipt.received'], r.receiptId) });
    }
    for (const m of received) {
      const signed = (await s.received.findSignedRecords(m.id)).find((r) => r.sender === m.sender);
      messages.push({
        ...this.messageFields(m, 'received', m.sender, s.party, signed?.recordValue ?? null),
        agreement: await agreementAt(m.agreementId, m.createdAt),
        auditSeqs: seqs(m.id, ['message.received']),
        at: m.createdAt.getTime(),
      });
      for (const r of await s.receipts.listForMessage(m.id))
        if (r.direction === 'issued' && r.counterpart === m.sender)
          receipts.push({ ...receiptFields(r), auditSeqs: seqs(m.id, ['receipt.issued'], r.receiptId) });
    }
    messages.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));

    const parties = [...new Set([s.party, ...messages.flatMap((m) => [m.sender, m.recipient])])].sort();
    const input: BundleInput = {
      conversationId,
      exportedBy: { party: s.party, client },
      exportedAt: now,
      exportedFor: thirdParty?.exportedFor ?? null,
      consents: thirdParty?.consents ?? [],
      messages: messages.map(({ at: _at, ...m }) => m),
      receipts,
      trust: {
        version: 1,
        parties: Object.fromEntries(
          parties.map((p) => [
            p,
            {
              keys: s.trust
                .keysOf(p)
                .filter((k) => k.jwk.use === 'sig')
                .map((k) => ({ ...k.jwk, ...validityJson(k.validity) })),
            },
          ]),
        ),
      },
      agreements: [...versions.values()],
      audit: {
        entries,
        head,
        checkpoints: checkpoints.map((c) => ({ seq: c.seq, recordValue: c.recordValue })),
        exportSeq,
      },
      timeline: timeline(sent, received, now),
    };
    const bundle = await writeEvidenceBundle(input, s.own.signingKeyAt(now));
    return {
      bundle,
      messages: messages.length,
      receipts: receipts.length,
      auditFrom: from,
      auditTo: head.seq,
    };
  }

  private messageFields(
    m: OutboundMessageRecord | InboxMessageRecord,
    direction: 'sent' | 'received',
    sender: string,
    recipient: string,
    recordValue: string | null,
  ): Omit<BundleMessage, 'agreement' | 'auditSeqs'> {
    let payloadEncryption: 'JWE' | 'NONE' = 'NONE';
    let jweDigest: string | null = null;
    const parts = recordValue?.split('.') ?? [];
    if (parts.length === 3 && parts[1]) {
      // This node's own database: the record was verified (or made) here before it was stored.
      const envelope = decodeEnvelope(Buffer.from(parts[1], 'base64url'));
      payloadEncryption = envelope.payloadEncryption;
      if (payloadEncryption === 'JWE') jweDigest = digestOf(envelope.payload);
    }
    return {
      id: m.id,
      direction,
      type: m.type,
      sender,
      recipient,
      createdAt: m.createdAt.toISOString(),
      recordValue,
      recordDigest: m.recordDigest,
      redactedAt: m.redactedAt?.toISOString() ?? null,
      payload: m.redactedAt ? null : m.payload,
      payloadEncryption,
      jweDigest,
    };
  }
}

function receiptFields(
  r: Awaited<ReturnType<ReceiptsRepository['listForMessage']>>[number],
): Omit<BundleReceipt, 'auditSeqs'> {
  return {
    direction: r.direction,
    counterpart: r.counterpart,
    messageId: r.messageId,
    receiptId: r.receiptId,
    outcome: r.outcome,
    reasonCode: r.reasonCode,
    createdAt: r.createdAt.toISOString(),
    recordValue: r.recordValue,
  };
}

/** What happened when, from the rows: sent, settled, received, answered, overdue, redacted, exported. */
function timeline(
  sent: readonly OutboundMessageRecord[],
  received: readonly InboxMessageRecord[],
  now: Date,
): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const all = [...sent, ...received];
  const answers = (id: string) =>
    all.filter((m) => m.inReplyTo === id).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const m of sent) {
    events.push({
      at: m.createdAt.toISOString(),
      event: 'sent',
      messageId: m.id,
      detail: `${m.type.split('.').pop()} to ${m.recipient}`,
    });
    if (m.settledAt && (m.status === 'delivered' || m.status === 'rejected' || m.status === 'failed'))
      events.push({
        at: m.settledAt.toISOString(),
        event: m.status,
        messageId: m.id,
        ...(m.reasonCode ? { detail: m.reasonCode } : {}),
      });
  }
  for (const m of received)
    events.push({
      at: m.receivedAt.toISOString(),
      event: 'received',
      messageId: m.id,
      detail: `${m.type.split('.').pop()} from ${m.sender}`,
    });
  for (const m of all) {
    const answer = answers(m.id)[0];
    if (answer)
      events.push({
        at: answer.createdAt.toISOString(),
        event: 'answered',
        messageId: m.id,
        detail: `by ${answer.id}`,
      });
    const replyBy = m.type === MessageType.AssistanceRequest ? m.payload.replyBy : undefined;
    if (typeof replyBy === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(replyBy)) {
      const due = new Date(`${replyBy}T23:59:59.999Z`);
      if ((answer ? answer.createdAt : now) > due)
        events.push({
          at: due.toISOString(),
          event: 'overdue',
          messageId: m.id,
          detail: `reply-by ${replyBy}`,
        });
    }
    if (m.redactedAt)
      events.push({
        at: m.redactedAt.toISOString(),
        event: 'redacted',
        messageId: m.id,
        detail: 'retention',
      });
  }
  events.push({ at: now.toISOString(), event: 'exported', messageId: null });
  return events.sort((a, b) => a.at.localeCompare(b.at));
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '@app/agreements';
import type { NodeConfig } from '@app/config';
import {
  encodeEnvelope,
  encodePayload,
  encodeValidatedPayload,
  envelopeErrors,
  type EnvelopeFields,
  EXAMPLE_PAYLOADS,
  MessageType,
  uuidv7,
} from '@app/contracts';
import type { InboxRecord } from '@app/messaging';
import {
  AmendmentsRepository,
  type Db,
  InboxRepository,
  OutboundMessagesRepository,
  ReceiptsRepository,
} from '@app/persistence';
import {
  encryptFor,
  EnvelopeSigner,
  loadOwnKeys,
  type OwnKeys,
  type PayloadBinding,
  TrustStore,
} from '@app/signing';
import { provisionKeys } from '@app/testing';
import { RecordCodec } from '../shared/record.codec';
import { InboundJudge } from './inbound.judge';
import { ReferenceCheck } from './reference.check';
import { OwnKeyDecrypter } from './own-key.decrypter';

const CONFIG = join(__dirname, '../../../../config');
const NOW = new Date('2026-11-30T12:00:00Z');
const config = {
  party: 'sv-dga',
  limits: { maxRecordBytes: 1_000_000, replayWindowSeconds: 3600, clockSkewSeconds: 60 },
  keys: { decryptOverlapSeconds: 3600 },
} as NodeConfig;

/** sv-dga's judge over the real agreements file and real keys; a database that has seen nothing. */
describe('InboundJudge', () => {
  let dir: string;
  let trust: TrustStore;
  const own: Record<string, OwnKeys> = {};
  let judge: InboundJudge;
  /** Every decryption the judge asked for: the point of the order is when this stays empty. */
  let decrypted: PayloadBinding[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'puente-judge-'));
    await provisionKeys(dir, ['sv-dga', 'us-cbp', 'mx-anam']);
    for (const party of ['sv-dga', 'us-cbp', 'mx-anam']) own[party] = await loadOwnKeys(dir, party);
    trust = await TrustStore.load(join(dir, 'trust-store.json'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(() => {
    decrypted = [];
    const real = new OwnKeyDecrypter(own['sv-dga']!, config);
    const decrypter = {
      decrypt: (jwe: string, binding: PayloadBinding) => {
        decrypted.push(binding);
        return real.decrypt(jwe, binding);
      },
    } as OwnKeyDecrypter;
    const db = { query: () => Promise.resolve([]) } as unknown as Db;
    const catalog = loadCatalog(join(CONFIG, 'parties.yaml'), join(CONFIG, 'agreements.yaml'));
    judge = new InboundJudge(
      config,
      catalog,
      new RecordCodec(config, own['sv-dga']!, trust, catalog),
      decrypter,
      new InboxRepository(db),
      new OutboundMessagesRepository(db),
      new ReceiptsRepository(db),
      new ReferenceCheck(
        new InboxRepository(db),
        new OutboundMessagesRepository(db),
        new AmendmentsRepository(db),
      ),
    );
  });

  /** A record signed by `from`, its payload encrypted to sv-dga unless `signedOnly`, bound to `bindTo`. */
  async function record(
    from: string,
    over: Partial<EnvelopeFields> = {},
    options: { signedOnly?: boolean; bindTo?: Partial<PayloadBinding>; plaintext?: Uint8Array } = {},
  ): Promise<{ record: InboxRecord; envelope: EnvelopeFields }> {
    const id = uuidv7();
    const type = over.type ?? MessageType.AssistanceRequest;
    const plaintext = options.plaintext ?? encodePayload(type, EXAMPLE_PAYLOADS[type]);
    const payload = options.signedOnly
      ? plaintext
      : new TextEncoder().encode(
          await encryptFor('sv-dga', plaintext, trust, {
            sender: from,
            messageId: id,
            type,
            ...options.bindTo,
          }),
        );
    const envelope: EnvelopeFields = {
      messageId: id,
      conversationId: id,
      inReplyTo: '',
      type,
      schemaVersion: 'v1',
      sender: from,
      recipient: 'sv-dga',
      agreementId: 'cmaa-us-sv',
      purpose: 'trafficking',
      createdAt: new Date(NOW.getTime() - 1000),
      expiresAt: new Date(NOW.getTime() + 3_600_000),
      payload,
      payloadEncryption: options.signedOnly ? 'NONE' : 'JWE',
      ...over,
    };
    const value = Buffer.from(new EnvelopeSigner(own[from]!).sign(encodeEnvelope(envelope)));
    return {
      envelope,
      record: {
        topic: 'puente.inbox.sv-dga',
        partition: 0,
        offset: '0',
        key: id,
        value,
        headers: { type, sender: from, recipient: 'sv-dga', messageId: id },
        sizeBytes: value.length,
        rawKey: Buffer.from(id),
        rawHeaders: {},
      },
    };
  }

  it('refuses a record created after its key was revoked (KEY_REVOKED, to the DLQ, nothing decrypted), accepts one created before', async () => {
    const revoking = await TrustStore.load(join(dir, 'trust-store.json'));
    const catalog = loadCatalog(join(CONFIG, 'parties.yaml'), join(CONFIG, 'agreements.yaml'));
    const db = { query: () => Promise.resolve([]) } as unknown as Db;
    const strict = new InboundJudge(
      config,
      catalog,
      new RecordCodec(config, own['sv-dga']!, revoking, catalog),
      new OwnKeyDecrypter(own['sv-dga']!, config),
      new InboxRepository(db),
      new OutboundMessagesRepository(db),
      new ReceiptsRepository(db),
      new ReferenceCheck(
        new InboxRepository(db),
        new OutboundMessagesRepository(db),
        new AmendmentsRepository(db),
      ),
    );
    revoking.revokeKey(own['us-cbp']!.signing.kid, new Date(NOW.getTime() - 500), 'compromised');
    const before = await record('us-cbp', { createdAt: new Date(NOW.getTime() - 1000) });
    expect(await strict.judge(before.record, 'sha256:x', NOW)).toMatchObject({ kind: 'accept' });
    const after = await record('us-cbp', { createdAt: new Date(NOW.getTime() - 100) });
    expect(await strict.judge(after.record, 'sha256:x', NOW)).toMatchObject({
      kind: 'dead-letter',
      reason: 'KEY_REVOKED',
      rule: 'kid',
      claimedSender: 'us-cbp',
      messageId: after.envelope.messageId,
    });
    // Made with a key outside its validity window (before its notBefore): KEY_NOT_VALID.
    revoking.retireKey(own['us-cbp']!.signing.kid, new Date(NOW.getTime() - 2000));
    expect(await strict.judge(before.record, 'sha256:y', NOW)).toMatchObject({ reason: 'KEY_NOT_VALID' });
  });

  it('accepts an encrypted CMAA request, decrypting it once, bound to its envelope', async () => {
    const { record: r, envelope } = await record('us-cbp');
    const verdict = await judge.judge(r, 'sha256:x', NOW);
    expect(verdict).toMatchObject({
      kind: 'accept',
      payload: EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
    });
    expect(decrypted).toEqual([{ sender: 'us-cbp', messageId: envelope.messageId, type: envelope.type }]);
  });

  it('refuses a party without an agreement on the envelope alone, without decrypting anything', async () => {
    // mx-anam signs a genuine-looking, correctly encrypted request to sv-dga: no agreement covers the two.
    for (const agreementId of ['cmaa-us-sv', 'mou-us-mx']) {
      const { record: r } = await record('mx-anam', { agreementId });
      expect(await judge.judge(r, 'sha256:x', NOW)).toMatchObject({
        kind: 'reject',
        reason: 'PARTY_NOT_IN_AGREEMENT',
        rule: `agreements[${agreementId}].parties`,
      });
    }
    const { record: unnamed } = await record('mx-anam', { agreementId: 'mou-mx-sv' });
    expect(await judge.judge(unnamed, 'sha256:x', NOW)).toMatchObject({
      kind: 'reject',
      reason: 'NO_AGREEMENT',
    });
    expect(decrypted).toEqual([]);
  });

  it('refuses a type or purpose the agreement does not carry before decrypting', async () => {
    const { record: notice } = await record('us-cbp', { type: MessageType.CooperationNotice });
    expect(await judge.judge(notice, 'sha256:x', NOW)).toMatchObject({ reason: 'TYPE_NOT_PERMITTED' });
    const { record: tourism } = await record('us-cbp', { purpose: 'tourism' });
    expect(await judge.judge(tourism, 'sha256:x', NOW)).toMatchObject({ reason: 'PURPOSE_NOT_PERMITTED' });
    expect(decrypted).toEqual([]);
  });

  it('refuses case data sent signed only: the agreement requires it encrypted', async () => {
    const { record: r } = await record('us-cbp', {}, { signedOnly: true });
    expect(await judge.judge(r, 'sha256:x', NOW)).toMatchObject({
      kind: 'reject',
      reason: 'SCHEMA_INVALID',
      rule: 'payloadEncryption',
    });
    expect(decrypted).toEqual([]);
  });

  it('refuses a payload encrypted for another message, sender or type with ENCRYPTION_BINDING_MISMATCH', async () => {
    for (const bindTo of [
      { messageId: uuidv7() },
      { sender: 'us-ice' },
      { type: MessageType.SpontaneousInformation },
    ]) {
      const { record: r } = await record('us-cbp', {}, { bindTo });
      const verdict = await judge.judge(r, 'sha256:x', NOW);
      expect(verdict).toMatchObject({
        kind: 'reject',
        reason: 'ENCRYPTION_BINDING_MISMATCH',
        rule: 'payload',
      });
      // The refusal names no payload value.
      expect(JSON.stringify(verdict)).not.toContain('DGA-2026-00417');
    }
  });

  it('refuses an invalid payload after decrypting it, naming the field but never its value', async () => {
    // Encoded without validation, as a broken or hostile peer could: a name where a date belongs.
    const plaintext = encodeValidatedPayload(MessageType.AssistanceRequest, {
      ...EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
      subjects: { persons: [{ surname: 'Quintanilla', dateOfBirth: 'QUINTANILLA BERRIOS' }] },
    });
    const { record: r } = await record('us-cbp', {}, { plaintext });
    const verdict = await judge.judge(r, 'sha256:x', NOW);
    expect(verdict).toMatchObject({
      kind: 'reject',
      reason: 'SCHEMA_INVALID',
      rule: 'payload.subjects.persons[0].dateOfBirth',
    });
    // What goes into the signed receipt and the flow event: the rule and the detail.
    const { rule, detail } = verdict as { rule: string; detail: string };
    expect(`${rule} ${detail}`.toUpperCase()).not.toContain('QUINTANILLA');
    expect(decrypted).toHaveLength(1);
  });

  it('sends a record whose headers disagree with the signed envelope to the DLQ, with no receipt', async () => {
    const { record: r } = await record('us-cbp');
    const tampered = { ...r, headers: { ...r.headers, recipient: 'us-ice' } };
    expect(await judge.judge(tampered, 'sha256:x', NOW)).toMatchObject({
      kind: 'dead-letter',
      reason: 'HEADER_MISMATCH',
      rule: 'headers.puente-recipient',
    });
    // A NUL in a header is a mismatch too, and a sender header naming no known party is not echoed.
    const nul = { ...r, headers: { ...r.headers, sender: 'us-cbp\u0000' } };
    expect(await judge.judge(nul, 'sha256:x', NOW)).toMatchObject({
      kind: 'dead-letter',
      reason: 'HEADER_MISMATCH',
    });
    const garbage = { ...r, value: Buffer.from('not a jws'), headers: { sender: 'zz-\u0000junk' } };
    const verdict = await judge.judge(garbage, 'sha256:x', NOW);
    expect(verdict).toMatchObject({ kind: 'dead-letter', reason: 'MALFORMED_RECORD' });
    expect((verdict as { claimedSender?: string }).claimedSender).toBeUndefined();
  });

  it('judges a replay of an accepted record a duplicate before freshness or headers: never a false REJECTED', async () => {
    const { record: r, envelope } = await record('us-cbp');
    const seen = {
      sender: 'us-cbp',
      id: envelope.messageId,
      conversation_id: envelope.conversationId,
      in_reply_to: null,
      type: envelope.type,
      agreement_id: envelope.agreementId,
      purpose: envelope.purpose,
      created_at: envelope.createdAt,
      expires_at: envelope.expiresAt,
      payload: {},
      record_digest: 'sha256:x',
      redacted_at: null,
      received_at: NOW,
    };
    const db = {
      query: (sql: string) => Promise.resolve(sql.includes('from inbox_messages') ? [seen] : []),
    } as unknown as Db;
    const catalog = loadCatalog(join(CONFIG, 'parties.yaml'), join(CONFIG, 'agreements.yaml'));
    const remembering = new InboundJudge(
      config,
      catalog,
      new RecordCodec(config, own['sv-dga']!, trust, catalog),
      new OwnKeyDecrypter(own['sv-dga']!, config),
      new InboxRepository(db),
      new OutboundMessagesRepository(db),
      new ReceiptsRepository(db),
      new ReferenceCheck(
        new InboxRepository(db),
        new OutboundMessagesRepository(db),
        new AmendmentsRepository(db),
      ),
    );
    // Replayed a year later (expired, outside the replay window) with a header changed.
    const later = new Date(NOW.getTime() + 365 * 86_400_000);
    const replay = { ...r, headers: { ...r.headers, type: 'puente.other' } };
    expect(await remembering.judge(replay, 'sha256:x', later)).toMatchObject({ kind: 'duplicate' });
  });

  it('answers a copy the sender published again with the first receipt, but not the same record read again', async () => {
    const { record: r, envelope } = await record('us-cbp');
    const stored = {
      sender: 'us-cbp',
      id: envelope.messageId,
      conversation_id: envelope.conversationId,
      in_reply_to: null,
      type: envelope.type,
      agreement_id: envelope.agreementId,
      purpose: envelope.purpose,
      created_at: envelope.createdAt,
      expires_at: envelope.expiresAt,
      payload: {},
      record_digest: 'sha256:x',
      redacted_at: null,
      received_at: NOW,
      // First stored from offset 0 of partition 0.
      source_record: 'puente.inbox.sv-dga:0:0',
    };
    const firstReceipt = {
      direction: 'issued',
      counterpart: 'us-cbp',
      message_id: envelope.messageId,
      receipt_id: uuidv7(),
      outcome: 'ACCEPTED',
      reason_code: null,
      rule: null,
      detail: null,
      digest: 'sha256:x',
      record_value: 'the first receipt, signed',
      created_at: NOW,
    };
    const db = {
      query: (sql: string) =>
        Promise.resolve(
          sql.includes('from inbox_messages')
            ? [stored]
            : sql.includes('from receipts')
              ? [firstReceipt]
              : [],
        ),
    } as unknown as Db;
    const catalog = loadCatalog(join(CONFIG, 'parties.yaml'), join(CONFIG, 'agreements.yaml'));
    const remembering = new InboundJudge(
      config,
      catalog,
      new RecordCodec(config, own['sv-dga']!, trust, catalog),
      new OwnKeyDecrypter(own['sv-dga']!, config),
      new InboxRepository(db),
      new OutboundMessagesRepository(db),
      new ReceiptsRepository(db),
      new ReferenceCheck(
        new InboxRepository(db),
        new OutboundMessagesRepository(db),
        new AmendmentsRepository(db),
      ),
    );
    // The very record again (a rebalance, a restart before its offset was committed): no second receipt.
    expect(await remembering.judge(r, 'sha256:x', NOW)).toEqual({
      kind: 'duplicate',
      envelope: expect.anything() as unknown,
      previousReceipt: null,
    });
    // The same signed bytes published again by the sender, at another offset: the first receipt again.
    expect(await remembering.judge({ ...r, offset: '7' }, 'sha256:x', NOW)).toMatchObject({
      kind: 'duplicate',
      previousReceipt: { receiptId: firstReceipt.receipt_id, recordValue: 'the first receipt, signed' },
    });
  });

  it('refuses a NUL in a payload string with SCHEMA_INVALID naming the field, and caps the recipient length', async () => {
    const plaintext = encodeValidatedPayload(MessageType.AssistanceRequest, {
      ...EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
      caseReference: 'DGA\u00002026',
    });
    const { record: r } = await record('us-cbp', {}, { plaintext });
    expect(await judge.judge(r, 'sha256:x', NOW)).toMatchObject({
      kind: 'reject',
      reason: 'SCHEMA_INVALID',
      rule: 'payload.caseReference',
    });
    // The envelope's own rules, which decodeEnvelope applies on receipt: a 1,200-character recipient is no party id.
    const { envelope } = await record('us-cbp');
    expect(envelopeErrors({ ...envelope, recipient: `sv-${'x'.repeat(1200)}` })).toEqual([
      expect.objectContaining({ path: 'recipient', rule: 'isPartyId' }),
    ]);
  });
});

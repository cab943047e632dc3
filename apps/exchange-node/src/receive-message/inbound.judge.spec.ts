import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '@app/agreements';
import type { NodeConfig } from '@app/config';
import {
  encodeEnvelope,
  encodePayload,
  encodeValidatedPayload,
  type EnvelopeFields,
  EXAMPLE_PAYLOADS,
  MessageType,
  uuidv7,
} from '@app/contracts';
import type { InboxRecord } from '@app/messaging';
import type { Db } from '@app/persistence';
import {
  encryptFor,
  EnvelopeSigner,
  loadOwnKeys,
  type OwnKeys,
  type PayloadBinding,
  TrustStore,
} from '@app/signing';
import { provisionKeys } from '@app/testing';
import { InboundJudge } from './inbound.judge';
import { OwnKeyDecrypter } from './own-key.decrypter';

const CONFIG = join(__dirname, '../../../../config');
const NOW = new Date('2026-11-30T12:00:00Z');
const config = {
  party: 'sv-dga',
  limits: { maxRecordBytes: 1_000_000, replayWindowSeconds: 3600, clockSkewSeconds: 60 },
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
    const real = new OwnKeyDecrypter(own['sv-dga']!);
    const decrypter = {
      decrypt: (jwe: string, binding: PayloadBinding) => {
        decrypted.push(binding);
        return real.decrypt(jwe, binding);
      },
    } as OwnKeyDecrypter;
    const db = { query: () => Promise.resolve([]) } as unknown as Db;
    const catalog = loadCatalog(join(CONFIG, 'parties.yaml'), join(CONFIG, 'agreements.yaml'));
    judge = new InboundJudge(config, catalog, trust, decrypter, db);
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
    const value = Buffer.from(await new EnvelopeSigner(own[from]!).sign(encodeEnvelope(envelope)));
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
});

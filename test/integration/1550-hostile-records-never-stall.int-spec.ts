import { join } from 'node:path';
import type { IHeaders } from 'kafkajs';
import {
  encodeEnvelope,
  encodeValidatedPayload,
  EXAMPLE_PAYLOADS,
  MessageType,
  uuidv7,
} from '@app/contracts';
import { routingHeaders } from '@app/messaging';
import { digestOf, EnvelopeSigner, loadOwnKeys, type OwnKeys, TrustStore } from '@app/signing';
import { sendMany, settleAndCount } from '../support/fault-run';
import { forgeRecord } from '../support/forge';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

/**
 * 2,000 genuine messages with 300 hostile records of 12 classes interleaved on us-cbp's inbox topic —
 * NUL and invalid UTF-8 in keys, values and header values, 100 made-up sender headers, overlong ids,
 * a trusted insider's signed records with NUL in a payload string or an overlong recipient,
 * header-changed copies sent ahead of the genuine record, and replays of accepted records with a
 * header changed. Every hostile record is set aside with its code (DLQ, or a signed rejection to the
 * insider), the replays are duplicates, no partition ever stalls, no genuine message is rejected, and
 * /metrics stays small and clean.
 */
// 2,000 messages and 300 hostile records: longer than the default integration timeout.
jest.setTimeout(300_000);

const STALL_SECONDS = 15;
/** /metrics of a node that saw 300 hostile records: default process metrics plus bounded series. */
const METRICS_MAX_BYTES = 64 * 1024;

interface Hostile {
  readonly cls: string;
  /** The reason code its rejection row must carry; `DUPLICATE` for a replay (no row at all). */
  readonly code: string;
  /** Set aside to the DLQ (unattributable) or answered with a signed rejection (the insider). */
  readonly via: 'dlq' | 'receipt' | 'duplicate';
  readonly key: Buffer | string | null;
  readonly value: Buffer | string;
  readonly headers: IHeaders;
}

const CMAA = {
  type: MessageType.AssistanceRequest,
  sender: 'sv-dga',
  recipient: 'us-cbp',
  agreementId: 'cmaa-us-sv',
  purpose: 'trafficking',
} as const;

/** A protobuf length-delimited field: appended to an encoded message, it overrides that field (proto3, last wins). */
function lengthDelimited(field: number, bytes: Buffer): Buffer {
  const varint = (n: number): number[] => {
    const out: number[] = [];
    for (; n > 0x7f; n >>>= 7) out.push((n & 0x7f) | 0x80);
    out.push(n);
    return out;
  };
  return Buffer.concat([Buffer.from([...varint((field << 3) | 2), ...varint(bytes.length)]), bytes]);
}

describe('1550 hostile records never stall the inbox', () => {
  let network: TestNetwork;
  let dgaKeys: OwnKeys;
  let trust: TrustStore;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      env: { PUENTE_INBOX_STALL_SECONDS: String(STALL_SECONDS), PUENTE_INBOX_MAX_ATTEMPTS: '3' },
    });
    dgaKeys = await loadOwnKeys(join(network.dir, 'keys'), 'sv-dga');
    trust = await TrustStore.load(join(network.dir, 'keys', 'trust-store.json'));
  });
  afterAll(() => network?.stop());

  const genuine = () =>
    forgeRecord({
      signWith: dgaKeys,
      encryptWith: trust,
      envelope: CMAA,
      payload: EXAMPLE_PAYLOADS[CMAA.type],
    });

  /** The insider: sv-dga's own key over an envelope whose recipient is 1,200 characters long. */
  function overlongRecipient(): Hostile {
    const id = uuidv7();
    const now = new Date();
    const bytes = encodeEnvelope({
      ...CMAA,
      messageId: id,
      conversationId: id,
      inReplyTo: '',
      schemaVersion: 'v1',
      createdAt: now,
      expiresAt: new Date(now.getTime() + 3_600_000),
      payload: new Uint8Array(),
      payloadEncryption: 'NONE',
    });
    const recipient = Buffer.from(`us-${'x'.repeat(1200)}`);
    const value = new EnvelopeSigner(dgaKeys).sign(Buffer.concat([bytes, lengthDelimited(7, recipient)]));
    return {
      cls: 'insider-overlong-recipient',
      code: 'SCHEMA_INVALID',
      via: 'receipt',
      key: id,
      value,
      headers: routingHeaders({ type: CMAA.type, sender: 'sv-dga', recipient: 'us-cbp', messageId: id }),
    };
  }

  /** Hostile records in the order they are produced; `ahead` pairs a tampered copy with its genuine record. */
  async function hostileRecords(): Promise<{ hostile: Hostile[]; genuineAfter: Map<string, Hostile> }> {
    const hostile: Hostile[] = [];
    const genuineAfter = new Map<string, Hostile>();
    const junk = (cls: string, i: number) => `not a record: ${cls} ${i}`;
    for (let i = 0; i < 20; i++) {
      hostile.push({
        cls: 'nul-key',
        code: 'MALFORMED_RECORD',
        via: 'dlq',
        key: Buffer.from(`key\u0000${i}`),
        value: junk('nul-key', i),
        headers: {},
      });
      hostile.push({
        cls: 'nul-value',
        code: 'MALFORMED_RECORD',
        via: 'dlq',
        key: null,
        value: Buffer.from(`nul\u0000value\u0000${i}`),
        headers: {},
      });
      const a = await genuine();
      hostile.push({
        cls: 'nul-header',
        code: 'HEADER_MISMATCH',
        via: 'dlq',
        key: a.key,
        value: a.value,
        headers: { ...a.headers, 'puente-sender': 'sv-dga\u0000', 'x-extra': Buffer.from([0, 0, 0]) },
      });
      hostile.push({
        cls: 'utf8-key',
        code: 'MALFORMED_RECORD',
        via: 'dlq',
        key: Buffer.from([0xff, 0xfe, 0xc3, i]),
        value: junk('utf8-key', i),
        headers: {},
      });
      hostile.push({
        cls: 'utf8-value',
        code: 'MALFORMED_RECORD',
        via: 'dlq',
        key: null,
        value: Buffer.concat([Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(String(i))]),
        headers: {},
      });
      const b = await genuine();
      hostile.push({
        cls: 'utf8-header',
        code: 'HEADER_MISMATCH',
        via: 'dlq',
        key: b.key,
        value: b.value,
        headers: { ...b.headers, 'puente-message-id': Buffer.from([0xff, 0xfe, 0xfd]) },
      });
      hostile.push({
        cls: 'overlong-ids',
        code: 'MALFORMED_RECORD',
        via: 'dlq',
        key: 'k'.repeat(10_000),
        value: junk('overlong-ids', i),
        headers: routingHeaders({
          type: 't'.repeat(5_000),
          sender: `sv-${'d'.repeat(5_000)}`,
          recipient: `us-${'c'.repeat(5_000)}`,
          messageId: 'i'.repeat(5_000),
        }),
      });
      hostile.push({
        cls: 'insider-nul-payload',
        code: 'SCHEMA_INVALID',
        via: 'receipt',
        ...(await forgeRecord({
          signWith: dgaKeys,
          encryptWith: trust,
          envelope: CMAA,
          payloadBytes: encodeValidatedPayload(CMAA.type, {
            ...EXAMPLE_PAYLOADS[CMAA.type],
            caseReference: `DGA\u0000${i}`,
          }),
        })),
      });
      hostile.push(overlongRecipient());
      // A copy with one header changed, sent just ahead of the genuine record it copies.
      const g = await genuine();
      const copy: Hostile = {
        cls: 'mismatch-ahead',
        code: 'HEADER_MISMATCH',
        via: 'dlq',
        key: g.key,
        value: g.value,
        headers: { ...g.headers, 'puente-type': MessageType.SpontaneousInformation },
      };
      hostile.push(copy);
      genuineAfter.set(g.envelope.messageId, { ...copy, cls: 'genuine-after', headers: g.headers });
    }
    for (let i = 0; i < 100; i++)
      hostile.push({
        cls: 'unique-senders',
        code: 'MALFORMED_RECORD',
        via: 'dlq',
        key: null,
        value: junk('unique-senders', i),
        headers: { 'puente-sender': `zz-forged${i}`, 'puente-type': `type-${i}\u0000` },
      });
    return { hostile, genuineAfter };
  }

  it('sets every hostile record aside with its code, delivers every genuine message, and never stalls', async () => {
    const started = Date.now();
    const cbp = network.node('us-cbp');
    const topic = network.inboxTopic('us-cbp');
    const { hostile, genuineAfter } = await hostileRecords();

    // /health polled throughout: a partition stuck past the limit shows as `stalled`.
    let stalls = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const res = await fetch(`${cbp.url}/health`).catch(() => undefined);
        if (res?.status === 503) {
          const body = (await res.json()) as { checks?: { inboxConsumer?: { detail?: string } } };
          if (body.checks?.inboxConsumer?.detail?.startsWith('stalled')) stalls += 1;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    })();

    // Interleaved: a tenth of the hostile records (and the genuine copies they precede) every 200 sends.
    const slices = Array.from({ length: 10 }, (_, k) => hostile.filter((_, i) => i % 10 === k));
    const produceSlice = async (slice: readonly Hostile[]) => {
      const records = slice.flatMap((h) => {
        const after = h.cls === 'mismatch-ahead' ? genuineAfter.get(keyText(h.key) ?? '') : undefined;
        return after ? [h, after] : [h];
      });
      await network.tap.produce(topic, records);
    };
    const sent = await sendMany(
      network,
      [
        { from: 'sv-dga', to: 'us-cbp', count: 1000 },
        { from: 'us-cbp', to: 'sv-dga', count: 1000 },
      ],
      { afterEach: (n) => (n % 200 === 100 ? produceSlice(slices[(n - 100) / 200] ?? []) : undefined) },
    );
    const figures = await settleAndCount(network, sent);

    // Replays of accepted records, one header changed: duplicates, never a REJECTED receipt.
    const accepted = await network
      .node('sv-dga')
      .db.query<{ record_value: string; headers: Record<string, string> | string }>(
        `select record_value, headers from outbox where kind = 'message' and topic = $1 and published_at is not null limit 20`,
        [topic],
      );
    const replays: Hostile[] = accepted.map((r) => {
      const headers = (typeof r.headers === 'string' ? JSON.parse(r.headers) : r.headers) as Record<
        string,
        string
      >;
      return {
        cls: 'replay-changed-header',
        code: 'DUPLICATE',
        via: 'duplicate',
        key: null,
        value: r.record_value,
        headers: { ...headers, 'puente-recipient': 'us-ice' },
      };
    });
    await network.tap.produce(topic, replays);
    const all = [...hostile, ...replays];

    await waitFor(
      'us-cbp to get past every record',
      async () => (await network.tap.lag(cbp.groupId, topic)) === 0,
      {
        timeoutMs: 60_000,
      },
    );
    polling = false;
    await poller;

    // Each hostile record's rejection row, found by the digest of its value.
    const rows = await cbp.db.query<{
      record_digest: string;
      reason_code: string;
      attributed_sender: string | null;
      record_key: string | null;
      record_key_encoding: string | null;
    }>(
      'select record_digest, reason_code, attributed_sender, record_key, record_key_encoding from inbound_rejections',
    );
    const byDigest = new Map<string, typeof rows>();
    for (const r of rows) byDigest.set(r.record_digest, [...(byDigest.get(r.record_digest) ?? []), r]);
    const setAside: Record<string, number> = {};
    const wrong: string[] = [];
    for (const h of all) {
      const found = byDigest.get(digestOf(h.value)) ?? [];
      const ok =
        h.via === 'duplicate'
          ? found.length === 0
          : found.some(
              (r) => r.reason_code === h.code && (h.via === 'dlq') === (r.attributed_sender === null),
            );
      if (ok) setAside[h.cls] = (setAside[h.cls] ?? 0) + 1;
      else wrong.push(`${h.cls}: ${found.map((r) => r.reason_code).join(',') || 'no row'}`);
    }

    // The key of a NUL-key record is kept byte for byte (base64: PostgreSQL text cannot hold NUL).
    const nulKey = hostile.find((h) => h.cls === 'nul-key');
    const nulKeyRow = byDigest.get(digestOf(nulKey?.value ?? ''))?.[0];
    expect(nulKeyRow?.record_key_encoding).toBe('base64');
    expect(Buffer.from(nulKeyRow?.record_key ?? '', 'base64')).toEqual(nulKey?.key);

    // No genuine message rejected at its sender; no REJECTED issued for a genuine or replayed record.
    const falseRejections =
      Number(
        (
          await network
            .node('sv-dga')
            .db.query<{ n: string }>(
              `select count(*)::text as n from outbound_messages where status <> 'delivered'`,
            )
        )[0]?.n,
      ) +
      Number(
        (
          await cbp.db.query<{ n: string }>(
            `select count(*)::text as n from receipts where direction = 'issued' and outcome = 'REJECTED' and message_id = any($1::uuid[])`,
            [[...sent.filter((s) => s.to === 'us-cbp').map((s) => s.id), ...genuineAfter.keys()]],
          )
        )[0]?.n,
      );
    // Each genuine record sent behind its tampered copy was still accepted.
    const stored = await cbp.db.query<{ id: string }>(
      'select id::text as id from inbox_messages where id = any($1::uuid[])',
      [[...genuineAfter.keys()]],
    );

    const dlq = await network.tap.readAll(network.dlqTopic('us-cbp'), 800);
    const metrics = await (await fetch(`${cbp.url}/metrics`)).text();

    const classes = Object.entries(setAside)
      .map(([cls, n]) => `${cls} ${n}`)
      .join(', ');
    process.stdout.write(
      `\n| 1550 | ${all.length} hostile records of ${Object.keys(setAside).length} classes | sent ${figures.sent} | delivered ${figures.delivered} | set aside: ${classes} | lost ${figures.lost} | stalls ${stalls} | false rejections ${falseRejections} | /metrics ${metrics.length} B | ${((Date.now() - started) / 1000).toFixed(1)} s |\n`,
    );

    expect(figures).toMatchObject({ sent: 2000, delivered: 2000, lost: 0 });
    // The only inbox rows no submission accounts for are the genuine records sent behind their copies.
    expect(figures.unexpected).toBe(genuineAfter.size);
    expect(stored).toHaveLength(genuineAfter.size);
    expect(falseRejections).toBe(0);
    expect(wrong).toEqual([]);
    expect(Object.keys(setAside).length).toBeGreaterThanOrEqual(10);
    expect(all.length).toBeGreaterThanOrEqual(200);
    expect(dlq).toHaveLength(all.filter((h) => h.via === 'dlq').length);
    expect(stalls).toBe(0);
    expect(metrics.length).toBeLessThan(METRICS_MAX_BYTES);
    expect(metrics).not.toContain('\u0000');
    expect(metrics).not.toContain('zz-forged');
    expect(metrics).toMatch(/^puente_inbox_oldest_unhandled_seconds\{party="us-cbp"\} \d/m);
    expect(metrics).toMatch(/^puente_inbox_stalled_partitions\{party="us-cbp"\} 0$/m);
  });
});

function keyText(key: Buffer | string | null): string | null {
  return key === null ? null : key.toString();
}

/**
 * `node tools/run-ts.js tools/bench/cpu-stages.ts [count] [concurrency]`: the CPU of each step one
 * 2 KB AssistanceRequest goes through in the two nodes' own code, in one process, with no I/O:
 * validate at the edge, encode, encrypt, sign, digest on the sender; verify, decode, decrypt, decode
 * and validate on the receiver. What the bench's per-process CPU cannot tell apart. Prints µs per
 * step (one message at a time), then the process CPU per message with `concurrency` (default 16)
 * messages in flight, as in a node under load: there the thread pool's hand-overs cost less each.
 */
import {
  decodeEnvelope,
  decodePayload,
  encodeEnvelope,
  encodeValidatedPayload,
  MessageType,
  validatePayload,
} from '@app/contracts';
import { digestOf, decryptWithOwnKey, encryptFor, verifyEnvelopeJws } from '@app/signing';
import { benchParties } from './ceilings/bench-parties';
import { assistanceRequestOfSize } from './exchange.scenario';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 3000);
  const { sender, recipient, trust } = await benchParties();
  const type = MessageType.AssistanceRequest;
  const times = new Map<string, number>();
  const step = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const t = process.hrtime.bigint();
    const out = await fn();
    times.set(name, (times.get(name) ?? 0) + Number(process.hrtime.bigint() - t) / 1000);
    return out;
  };
  const run = async (n: number) => {
    const body = JSON.stringify({
      type: 'AssistanceRequest',
      to: 'us-cbp',
      purpose: 'case-handling',
      payload: assistanceRequestOfSize(2048, n),
    });
    const parsed = await step('edge: JSON.parse', () => JSON.parse(body) as Record<string, unknown>);
    const { payload } = parsed;
    await step('edge: payload rules (validatePayload)', () => validatePayload(type, payload));
    const bytes = await step('sender: protobuf encode', () => encodeValidatedPayload(type, payload as never));
    const header = {
      messageId: `0190f0c0-0000-7000-8000-${String(n).padStart(12, '0')}`,
      conversationId: '0190f0c0-0000-7000-8000-000000000000',
      inReplyTo: '',
      type,
      schemaVersion: 'v1',
      sender: 'sv-dga',
      recipient: 'us-cbp',
      agreementId: 'us-sv-cmaa',
      purpose: 'case-handling',
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 3600_000),
    };
    const jwe = await step('sender: JWE encrypt (jose)', () =>
      encryptFor('us-cbp', bytes, trust, { sender: 'sv-dga', messageId: header.messageId, type }),
    );
    const env = await step('sender: envelope encode', () =>
      encodeEnvelope({
        ...header,
        payload: new TextEncoder().encode(jwe),
        payloadEncryption: 'JWE',
      } as never),
    );
    const value = await step('sender: sign (node:crypto)', () => sender.signer.sign(env));
    await step('both: sha-256 digest', () => digestOf(value));
    await step('sender: payload as jsonb text', () => JSON.stringify(payload));
    const verified = await step('receiver: verify (node:crypto)', () => verifyEnvelopeJws(value, trust));
    if (!verified.ok) throw new Error('not verified');
    const e = await step('receiver: envelope decode + validate', () => decodeEnvelope(verified.payload));
    const plain = await step('receiver: JWE decrypt (jose)', () =>
      decryptWithOwnKey(new TextDecoder().decode(e.payload), recipient.own, {
        sender: 'sv-dga',
        messageId: header.messageId,
        type,
      }),
    );
    await step('receiver: protobuf decode + validatePayload', () => decodePayload(type, plain));
  };
  for (let i = 0; i < 300; i++) await run(i);
  times.clear();
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) await run(i);
  const used = process.cpuUsage(cpu);
  let sum = 0;
  for (const [name, us] of times) {
    sum += us / count;
    process.stdout.write(`${(us / count).toFixed(1).padStart(8)} µs  ${name}\n`);
  }
  process.stdout.write(
    `${sum.toFixed(1).padStart(8)} µs  all steps (wall); process CPU ${((used.user + used.system) / count).toFixed(1)} µs per message\n`,
  );
  const concurrency = Number(process.argv[3] ?? 16);
  let next = 0;
  const cpuInFlight = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await run(next++);
    }),
  );
  const inFlight = process.cpuUsage(cpuInFlight);
  process.stdout.write(
    `${((inFlight.user + inFlight.system) / count).toFixed(1).padStart(8)} µs  process CPU per message, ${concurrency} in flight\n`,
  );
}

void main();

import { type KeyObject, sign, verify } from 'node:crypto';
import { cpus } from 'node:os';
import { CompactSign, compactVerify } from 'jose';
import { MessageType } from '@app/contracts';
import {
  decryptWithOwnKey,
  digestOf,
  ENVELOPE_JWS_TYPE,
  encryptFor,
  type EnvelopeSigner,
  type PayloadBinding,
  SIGNING_ALG,
  type TrustStore,
  verifyEnvelopeJws,
} from '@app/signing';
import {
  assistanceRequestOfSize,
  receiptEnvelope,
  sealedMessageEnvelope,
  travelerRiskQueryOfSize,
} from './bench-envelopes';
import {
  BENCH_RECIPIENT,
  BENCH_SENDER,
  type BenchParties,
  type BenchParty,
  benchParties,
} from './bench-parties';
import { type OpRate, rateOf, timeAsyncOps, timeConcurrentOps, timeSyncOps, warmupFor } from './op-rate';

export interface CryptoCeilingOptions {
  /** Timed iterations of each operation (a warm-up of a tenth, at least 10, runs first). */
  readonly count: number;
  /** Target size of the message payload and of the passenger plaintext, in bytes. */
  readonly payloadBytes: number;
  /** In-flight operations for the concurrent jose figures (default 16). */
  readonly concurrency?: number;
}

/** Sign and verify rates of one record kind, through jose (the project's code) or raw node:crypto. */
export interface SignVerifyRates {
  readonly sign: OpRate;
  readonly verify: OpRate;
}

/** A derived figure: the crypto time one delivered message costs, and its inverse. */
export interface DeliveredCeiling {
  readonly microsPerMessage: number;
  readonly messagesPerSecondPerCore: number;
}

export interface CryptoCeiling {
  readonly count: number;
  readonly warmup: number;
  readonly runtime: { readonly node: string; readonly cpu: string };
  /** What was actually signed and sent (bytes). */
  readonly sizes: {
    readonly messagePayload: number;
    readonly messageEnvelope: number;
    readonly messageJws: number;
    readonly receiptEnvelope: number;
    readonly receiptJws: number;
    readonly passengerPlaintext: number;
    readonly passengerJwe: number;
    readonly passengerJws: number;
  };
  /**
   * Measured: jose's CompactSign and compactVerify of the same records, with the same key and header.
   * The fixed reference the exchange is measured against (the nodes used jose until 2026-12-01); the
   * nodes' own signer and verifier now do the same in line with node:crypto, closer to `raw`.
   */
  readonly jose: {
    readonly message: SignVerifyRates;
    readonly receipt: SignVerifyRates;
    readonly passenger: SignVerifyRates;
  };
  /**
   * Measured: the message's jose sign and verify with `concurrency` calls in flight. jose runs
   * Ed25519 through node:crypto's callback API, i.e. on libuv's thread pool (UV_THREADPOOL_SIZE,
   * default 4), so concurrent calls use more than the one core the sequential figures stand for.
   */
  readonly joseConcurrent: SignVerifyRates & { readonly concurrency: number };
  /** Measured: crypto.sign / crypto.verify (Ed25519) over the same JWS signing input, nothing else. */
  readonly raw: { readonly message: SignVerifyRates; readonly receipt: SignVerifyRates };
  /** Measured: encryptFor / decryptWithOwnKey of the passenger plaintext (bound to its envelope). */
  readonly jwe: { readonly encrypt: OpRate; readonly decrypt: OpRate };
  /**
   * Derived from the rates above: a delivered message needs its payload encrypted and the message
   * signed (sender), verified and the payload decrypted (recipient), then its receipt signed (recipient)
   * and verified (sender); receipts are signed only. Summing the six µs/op gives the crypto time per
   * delivered message, spread over both nodes' cores. Every family but receipts is encrypted, so the
   * JWE pair (measured through jose on the passenger plaintext of the same size; there is no raw
   * variant) counts in the raw figure too.
   */
  readonly delivered: {
    readonly jose: DeliveredCeiling;
    readonly raw: DeliveredCeiling;
    /** A passenger query: its envelope signed and verified, encrypt + decrypt, plus the receipt. */
    readonly josePassenger: DeliveredCeiling;
  };
  /** Every verification in the timed loops succeeded, and tampered records were refused. */
  readonly checks: {
    readonly verifyFailures: number;
    readonly rawSignatureEqualsJose: boolean;
    readonly tamperedJwsRefused: boolean;
    readonly tamperedRawRefused: boolean;
    readonly jweRoundTrip: boolean;
  };
}

interface SignedRecord {
  readonly jws: string;
  /** ASCII(BASE64URL(header) || '.' || BASE64URL(payload)): what Ed25519 signs in a JWS. */
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

/**
 * The crypto ceiling: how many messages one core could sign, verify, encrypt and decrypt per second
 * if crypto were the only work, through the project's jose code and through raw node:crypto. Pure:
 * no broker, no database, no output.
 */
export async function measureCryptoCeiling(opts: CryptoCeilingOptions): Promise<CryptoCeiling> {
  const { count, payloadBytes } = opts;
  if (!(count > 0) || !(payloadBytes > 0)) throw new RangeError('count and payloadBytes must be positive');
  const warmup = warmupFor(count);
  const parties = await benchParties();
  const { sender, recipient, trust } = parties;

  const messagePayload = assistanceRequestOfSize(payloadBytes);
  const message = await sealedMessageEnvelope(BENCH_SENDER, BENCH_RECIPIENT, messagePayload, trust);
  const messageRecord = signed(sender.signer, message.bytes);
  const receiptBytes = receiptEnvelope(
    BENCH_RECIPIENT,
    BENCH_SENDER,
    message.messageId,
    digestOf(messageRecord.jws),
  );
  const receiptRecord = signed(recipient.signer, receiptBytes);

  const plaintext = travelerRiskQueryOfSize(payloadBytes);
  const passenger = await sealedMessageEnvelope(
    BENCH_SENDER,
    BENCH_RECIPIENT,
    plaintext,
    trust,
    MessageType.TravelerRiskQuery,
  );
  const { jwe, bytes: passengerBytes } = passenger;
  const binding = {
    sender: BENCH_SENDER,
    messageId: passenger.messageId,
    type: MessageType.TravelerRiskQuery,
  };
  const passengerRecord = signed(sender.signer, passengerBytes);

  let verifyFailures = 0;
  // jose's own sign and verify of `bytes` / `jws` with `party`'s key and the envelope header.
  const joseOps = (party: BenchParty, bytes: Uint8Array, jws: string) => {
    const header = { alg: SIGNING_ALG, kid: party.signer.kid, typ: ENVELOPE_JWS_TYPE };
    const publicKey = publicSigningKey(trust, party.signer.kid);
    return {
      sign: () => new CompactSign(bytes).setProtectedHeader(header).sign(party.own.signing.key),
      verify: async () => {
        await compactVerify(jws, publicKey, { algorithms: [SIGNING_ALG] }).catch(() => verifyFailures++);
      },
    };
  };
  const joseRates = async (party: BenchParty, bytes: Uint8Array, jws: string) => {
    const ops = joseOps(party, bytes, jws);
    return {
      sign: await timeAsyncOps(count, warmup, ops.sign),
      verify: await timeAsyncOps(count, warmup, ops.verify),
    };
  };
  // One untimed pass over everything first, so the first figure does not pay for the JIT alone.
  await joseRates(sender, passengerBytes, passengerRecord.jws);
  const jose = {
    message: await joseRates(sender, message.bytes, messageRecord.jws),
    receipt: await joseRates(recipient, receiptBytes, receiptRecord.jws),
    passenger: await joseRates(sender, passengerBytes, passengerRecord.jws),
  };

  const concurrency = opts.concurrency ?? 16;
  const messageOps = joseOps(sender, message.bytes, messageRecord.jws);
  const joseConcurrent = {
    concurrency,
    sign: await timeConcurrentOps(count, warmup, concurrency, messageOps.sign),
    verify: await timeConcurrentOps(count, warmup, concurrency, messageOps.verify),
  };

  const rawRates = (privateKey: KeyObject, publicKey: KeyObject, record: SignedRecord) => ({
    sign: timeSyncOps(count, warmup, () => sign(null, record.signingInput, privateKey)),
    verify: timeSyncOps(count, warmup, () => {
      if (!verify(null, record.signingInput, publicKey, record.signature)) verifyFailures++;
    }),
  });
  const raw = {
    message: rawRates(sender.own.signing.key, publicSigningKey(trust, sender.signer.kid), messageRecord),
    receipt: rawRates(
      recipient.own.signing.key,
      publicSigningKey(trust, recipient.signer.kid),
      receiptRecord,
    ),
  };

  const jweRates = {
    encrypt: await timeAsyncOps(count, warmup, () => encryptFor(BENCH_RECIPIENT, plaintext, trust, binding)),
    decrypt: await timeAsyncOps(count, warmup, () => decryptWithOwnKey(jwe, recipient.own, binding)),
  };

  return {
    count,
    warmup,
    runtime: { node: process.version, cpu: cpus()[0]?.model.trim() ?? 'unknown' },
    sizes: {
      messagePayload: messagePayload.length,
      messageEnvelope: message.bytes.length,
      messageJws: messageRecord.jws.length,
      receiptEnvelope: receiptBytes.length,
      receiptJws: receiptRecord.jws.length,
      passengerPlaintext: plaintext.length,
      passengerJwe: jwe.length,
      passengerJws: passengerRecord.jws.length,
    },
    jose,
    joseConcurrent,
    raw,
    jwe: jweRates,
    delivered: {
      jose: deliveredFrom([jose.message, jose.receipt], [jweRates.encrypt, jweRates.decrypt]),
      raw: deliveredFrom([raw.message, raw.receipt], [jweRates.encrypt, jweRates.decrypt]),
      josePassenger: deliveredFrom([jose.passenger, jose.receipt], [jweRates.encrypt, jweRates.decrypt]),
    },
    checks: await selfChecks(parties, messageRecord, plaintext, { jwe, binding }, verifyFailures),
  };
}

function signed(signer: EnvelopeSigner, bytes: Uint8Array): SignedRecord {
  const jws = signer.sign(bytes);
  const [header, payload, signature] = jws.split('.');
  if (header === undefined || payload === undefined || signature === undefined)
    throw new Error('EnvelopeSigner returned no compact JWS');
  return {
    jws,
    signingInput: Buffer.from(`${header}.${payload}`, 'ascii'),
    signature: Buffer.from(signature, 'base64url'),
  };
}

function publicSigningKey(trust: TrustStore, kid: string): KeyObject {
  const trusted = trust.signingKey(kid);
  if (!trusted) throw new Error(`the bench trust store lacks ${kid}`);
  return trusted.key;
}

function deliveredFrom(records: readonly SignVerifyRates[], extra: readonly OpRate[] = []): DeliveredCeiling {
  const micros =
    records.reduce((sum, r) => sum + r.sign.microsPerOp + r.verify.microsPerOp, 0) +
    extra.reduce((sum, r) => sum + r.microsPerOp, 0);
  return { microsPerMessage: micros, messagesPerSecondPerCore: rateOf(1, micros / 1000).opsPerSecond };
}

/**
 * Proof the timed operations did real work: Ed25519 is deterministic, so node:crypto must produce
 * jose's very signature; a flipped signature bit must be refused by both; the JWE must decrypt to
 * the plaintext.
 */
async function selfChecks(
  { recipient, trust, sender }: BenchParties,
  record: SignedRecord,
  plaintext: Uint8Array,
  { jwe, binding }: { jwe: string; binding: PayloadBinding },
  verifyFailures: number,
): Promise<CryptoCeiling['checks']> {
  const rawSignature = sign(null, record.signingInput, sender.own.signing.key);
  const tampered = Buffer.from(record.signature);
  tampered[0] = (tampered[0] ?? 0) ^ 0x01;
  const tamperedJws = `${record.signingInput.toString('ascii')}.${tampered.toString('base64url')}`;
  const verdict = verifyEnvelopeJws(tamperedJws, trust);
  const publicKey = publicSigningKey(trust, sender.signer.kid);
  const decrypted = await decryptWithOwnKey(jwe, recipient.own, binding);
  return {
    verifyFailures,
    rawSignatureEqualsJose: rawSignature.equals(record.signature),
    tamperedJwsRefused: !verdict.ok && verdict.reason === 'BAD_SIGNATURE',
    tamperedRawRefused: !verify(null, record.signingInput, publicKey, tampered),
    jweRoundTrip: Buffer.from(decrypted).equals(Buffer.from(plaintext)),
  };
}

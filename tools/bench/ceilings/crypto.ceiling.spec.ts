import { decodeEnvelope, decodePayload, MessageType } from '@app/contracts';
import { decryptWithOwnKey, verifyEnvelopeJws } from '@app/signing';
import {
  assistanceRequestOfSize,
  messageEnvelope,
  sealedMessageEnvelope,
  travelerRiskQueryOfSize,
} from './bench-envelopes';
import { BENCH_RECIPIENT, BENCH_SENDER, benchParties } from './bench-parties';
import { formatCryptoCeiling } from './ceilings.format';
import { type CryptoCeiling, measureCryptoCeiling } from './crypto.ceiling';
import type { OpRate } from './op-rate';

const rates = (r: CryptoCeiling): OpRate[] => [
  ...[
    r.jose.message,
    r.jose.receipt,
    r.jose.passenger,
    r.raw.message,
    r.raw.receipt,
    r.joseConcurrent,
  ].flatMap((p) => [p.sign, p.verify]),
  r.jwe.encrypt,
  r.jwe.decrypt,
];

describe('measureCryptoCeiling', () => {
  let result: CryptoCeiling;

  beforeAll(async () => {
    result = await measureCryptoCeiling({ count: 20, payloadBytes: 2048 });
  });

  it('times every operation the given number of times, at a positive rate', () => {
    expect(result.count).toBe(20);
    for (const rate of rates(result)) {
      expect(rate.ops).toBe(20);
      expect(rate.opsPerSecond).toBeGreaterThan(0);
      expect(rate.microsPerOp).toBeGreaterThan(0);
      expect(rate.microsPerOp * rate.opsPerSecond).toBeCloseTo(1_000_000, -1);
    }
  });

  it('signs records of the requested size, receipts far smaller', () => {
    expect(result.sizes.messagePayload).toBeGreaterThanOrEqual(2000);
    expect(result.sizes.messagePayload).toBeLessThanOrEqual(2100);
    expect(result.sizes.messageJws).toBeGreaterThan(result.sizes.messageEnvelope);
    expect(result.sizes.receiptJws).toBeLessThan(1000);
    expect(result.sizes.passengerJwe).toBeGreaterThan(result.sizes.passengerPlaintext);
  });

  it('really verified: no failure in the timed loops, tampered signatures refused, JWE round trip', () => {
    expect(result.checks).toEqual({
      verifyFailures: 0,
      rawSignatureEqualsJose: true,
      tamperedJwsRefused: true,
      tamperedRawRefused: true,
      jweRoundTrip: true,
    });
  });

  it('derives delivered messages per core from sign + verify of the message and of its receipt, and the JWE', () => {
    const { jose, delivered } = result;
    const micros =
      [jose.message, jose.receipt].reduce((sum, r) => sum + r.sign.microsPerOp + r.verify.microsPerOp, 0) +
      result.jwe.encrypt.microsPerOp +
      result.jwe.decrypt.microsPerOp;
    expect(delivered.jose.microsPerMessage).toBeCloseTo(micros, 6);
    expect(delivered.jose.messagesPerSecondPerCore).toBeCloseTo(1_000_000 / micros, 6);
    expect(delivered.josePassenger.microsPerMessage).toBeGreaterThan(result.jwe.encrypt.microsPerOp);
    expect(delivered.raw.messagesPerSecondPerCore).toBeGreaterThan(0);
  });

  it('formats as a table naming every figure', () => {
    const text = formatCryptoCeiling(result);
    expect(text).toContain('jose message verify');
    expect(text).toContain('raw node:crypto receipt sign');
    expect(text).toContain('verify failures 0');
  });

  it('refuses bad options', async () => {
    await expect(measureCryptoCeiling({ count: 0, payloadBytes: 2048 })).rejects.toThrow(RangeError);
  });
});

describe('bench envelopes', () => {
  it('are envelopes a node accepts: signed by a key the trust store lists, valid payloads encrypted to the recipient', async () => {
    const { sender, recipient, trust } = await benchParties();
    const message = await sealedMessageEnvelope(
      BENCH_SENDER,
      BENCH_RECIPIENT,
      assistanceRequestOfSize(8000),
      trust,
    );
    const verdict = verifyEnvelopeJws(sender.signer.sign(message.bytes), trust);
    if (!verdict.ok) throw new Error(verdict.detail);
    expect(verdict.signer).toBe(BENCH_SENDER);
    const envelope = decodeEnvelope(verdict.payload);
    expect(envelope).toMatchObject({ messageId: message.messageId, payloadEncryption: 'JWE' });
    const plaintext = await decryptWithOwnKey(new TextDecoder().decode(envelope.payload), recipient.own, {
      sender: envelope.sender,
      messageId: envelope.messageId,
      type: envelope.type,
    });
    expect(() => decodePayload(envelope.type, plaintext)).not.toThrow();
  });

  it('refuse a flipped signature', async () => {
    const { sender, trust } = await benchParties();
    const jws = sender.signer.sign(messageEnvelope(BENCH_SENDER, BENCH_RECIPIENT, new Uint8Array([1])).bytes);
    const last = jws.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${jws.slice(0, -2)}${last}${jws.slice(-1)}`;
    expect(verifyEnvelopeJws(tampered, trust)).toMatchObject({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
  });

  it('grow to the requested size', () => {
    for (const bytes of [2048, 8000, 40_000]) {
      const size = assistanceRequestOfSize(bytes).length;
      expect(size).toBeGreaterThanOrEqual(bytes * 0.98);
      expect(size).toBeLessThanOrEqual(bytes * 1.05);
    }
    const passengers = travelerRiskQueryOfSize(4096);
    expect(passengers.length).toBeGreaterThanOrEqual(4096);
    expect(() => decodePayload(MessageType.TravelerRiskQuery, passengers)).not.toThrow();
  });
});

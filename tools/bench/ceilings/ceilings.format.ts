import type { CryptoCeiling, DeliveredCeiling, SignVerifyRates } from './crypto.ceiling';
import type { OpRate, Percentiles } from './op-rate';
import type { TransportCeiling } from './transport.ceiling';

/** Rows of cells as a left-aligned text table, the first row being the heading. */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths = rows.reduce<number[]>(
    (w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)),
    [],
  );
  const line = (row: readonly string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const [head, ...body] = rows;
  if (!head) return '';
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export const fmtRate = (perSecond: number): string => Math.round(perSecond).toLocaleString('en-US');
export const fmtMicros = (micros: number): string => micros.toFixed(1);
export const fmtMs = (ms: number): string => ms.toFixed(1);

const opRow = (name: string, r: OpRate): string[] => [
  name,
  fmtRate(r.opsPerSecond),
  fmtMicros(r.microsPerOp),
];
const pairRows = (name: string, r: SignVerifyRates): string[][] => [
  opRow(`${name} sign`, r.sign),
  opRow(`${name} verify`, r.verify),
];
const deliveredRow = (name: string, d: DeliveredCeiling): string[] => [
  name,
  fmtRate(d.messagesPerSecondPerCore),
  fmtMicros(d.microsPerMessage),
];

export function formatCryptoCeiling(r: CryptoCeiling): string {
  const s = r.sizes;
  const c = r.checks;
  return [
    `Crypto ceiling — ${r.count} timed ops each (+${r.warmup} warm-up), ${r.runtime.node}, ${r.runtime.cpu}`,
    `message payload ${s.messagePayload} B → envelope ${s.messageEnvelope} B → JWS ${s.messageJws} B; ` +
      `receipt envelope ${s.receiptEnvelope} B → JWS ${s.receiptJws} B; ` +
      `passenger plaintext ${s.passengerPlaintext} B → JWE ${s.passengerJwe} B → JWS ${s.passengerJws} B`,
    '',
    textTable([
      ['measured (one at a time)', 'ops/s', 'µs/op'],
      ...pairRows('jose message', r.jose.message),
      ...pairRows('jose receipt', r.jose.receipt),
      ...pairRows('jose passenger', r.jose.passenger),
      ...pairRows('raw node:crypto message', r.raw.message),
      ...pairRows('raw node:crypto receipt', r.raw.receipt),
      opRow('JWE encrypt (encryptFor)', r.jwe.encrypt),
      opRow('JWE decrypt (decryptWithOwnKey)', r.jwe.decrypt),
      opRow(`jose message sign, ${r.joseConcurrent.concurrency} in flight`, r.joseConcurrent.sign),
      opRow(`jose message verify, ${r.joseConcurrent.concurrency} in flight`, r.joseConcurrent.verify),
    ]),
    '',
    textTable([
      ['derived: delivered messages (msg + JWE + receipt)', 'msg/s/core', 'µs/msg'],
      deliveredRow('jose (project code)', r.delivered.jose),
      deliveredRow('raw node:crypto', r.delivered.raw),
      deliveredRow('jose passenger query', r.delivered.josePassenger),
    ]),
    '',
    `checks: verify failures ${c.verifyFailures}, raw signature = jose ${c.rawSignatureEqualsJose}, ` +
      `tampered refused (jose ${c.tamperedJwsRefused}, raw ${c.tamperedRawRefused}), JWE round trip ${c.jweRoundTrip}`,
  ].join('\n');
}

const latencyCells = (p: Percentiles): string[] => [fmtMs(p.p50), fmtMs(p.p95), fmtMs(p.p99), fmtMs(p.max)];

export function formatTransportCeiling(r: TransportCeiling): string {
  return [
    `Transport ceiling — ${r.count} records of ${r.payloadBytes} B, batches of ${r.batchSize}, ` +
      `${r.partitions} partitions, idempotent producer (acks -1, 1 in flight), replies of ${r.replyBytes} B`,
    '',
    textTable([
      ['measured', 'records/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      ['produce (sendBatch acked)', fmtRate(r.oneWay.produce.opsPerSecond), '', '', '', ''],
      ['one way, end to end', fmtRate(r.oneWay.endToEnd.opsPerSecond), ...latencyCells(r.oneWay.latencyMs)],
      [
        'round trip (message → reply back)',
        fmtRate(r.roundTrip.endToEnd.opsPerSecond),
        ...latencyCells(r.roundTrip.latencyMs),
      ],
    ]),
    '',
    `derived: delivered messages/s ≈ one-way records/s ÷ 2 = ${fmtRate(r.deliveredPerSecondDerived)} ` +
      `(measured round trip: ${fmtRate(r.roundTrip.endToEnd.opsPerSecond)} messages/s)`,
    ...(r.brokerLog.length > 0 ? ['', 'kafkajs said:', ...r.brokerLog.map((l) => `  ${l}`)] : []),
  ].join('\n');
}

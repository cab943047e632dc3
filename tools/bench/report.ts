import type { BenchReport, Phase } from './bench';
import type { ExchangeResult, Percentiles } from './exchange.scenario';
import type { ProcUsage } from './proc-stats';

/** One line of the side-by-side table: what the exchange achieved and what its ceiling allows. */
export interface FigureRow {
  readonly figure: string;
  readonly exchange: string;
  readonly ceiling: string;
  /** exchange ÷ ceiling, for throughput; empty where a ratio would mean nothing. */
  readonly ratio: string;
}

const n = (v: number) => Math.round(v).toLocaleString('en-US');
const ms = (p: Percentiles) => `${n(p.p50)} / ${n(p.p95)} / ${n(p.p99)} / ${n(p.max)} ms`;
const pct = (a: number, b: number) => (b > 0 ? `${Math.round((100 * a) / b)} %` : '');

/** Where the phase's latency forms: acceptance → the broker's acknowledgement, → the recipient. */
function byStage(e: ExchangeResult): FigureRow[] {
  return [
    {
      figure: '  … acceptance → record acknowledged by the broker',
      exchange: ms(e.latencyByStageMs.published),
    },
    {
      figure: '  … acceptance → taken off the topic by the recipient',
      exchange: ms(e.latencyByStageMs.received),
    },
  ].map((row) => ({ ...row, ceiling: '', ratio: '' }));
}

/**
 * CPU milliseconds per delivered message: every process watched in the phase (nodes, broker,
 * PostgreSQL, the driver; the DIY peer's two processes in its phase), summed.
 */
export function cpuMsPerDelivered(p: Phase<{ readonly delivered: number }>): number {
  const seconds = p.processes.reduce((sum, u) => sum + u.cpuSeconds, 0);
  return p.result.delivered > 0 ? (1000 * seconds) / p.result.delivered : 0;
}

const cpuMs = (p: Phase<{ readonly delivered: number }>) => cpuMsPerDelivered(p).toFixed(2);

/** The two ceilings for a delivered message, as the issue defines them. */
export function ceilings(r: BenchReport): { transport: number; cryptoJose: number; cryptoRaw: number } {
  const cores = r.machine.cpus;
  return {
    // Measured: a message one way and its reply back, each side with its own producer, as the nodes do.
    transport: r.transport.result.roundTrip.endToEnd.opsPerSecond,
    // Derived from measured µs/op: message + receipt, each signed once and verified once, on every core.
    cryptoJose: r.crypto.delivered.jose.messagesPerSecondPerCore * cores,
    cryptoRaw: r.crypto.delivered.raw.messagesPerSecondPerCore * cores,
  };
}

export function figureRows(r: BenchReport): FigureRow[] {
  const c = ceilings(r);
  const lower = Math.min(c.transport, c.cryptoJose);
  const full = r.exchange.fullSpeed.result;
  const rated = r.exchange.offeredRate.result;
  const t = r.transport.result;
  const cores = r.machine.cpus;
  const rows: FigureRow[] = [
    {
      figure: `delivered/s, ${r.options.messages} × 2 KB, sv-dga → us-cbp, full speed`,
      exchange: n(full.perSecond),
      ceiling: `${n(lower)} (lower of the two below)`,
      ratio: pct(full.perSecond, lower),
    },
    {
      figure: '  … against the transport ceiling (kafkajs alone, message + reply)',
      exchange: n(full.perSecond),
      ceiling: n(c.transport),
      ratio: pct(full.perSecond, c.transport),
    },
    {
      figure: `  … against the crypto ceiling (jose: 2 signs + 2 verifies, × ${cores} cores)`,
      exchange: n(full.perSecond),
      ceiling: n(c.cryptoJose),
      ratio: pct(full.perSecond, c.cryptoJose),
    },
    {
      figure: `  … against raw node:crypto Ed25519 (the floor under jose, × ${cores} cores)`,
      exchange: n(full.perSecond),
      ceiling: n(c.cryptoRaw),
      ratio: pct(full.perSecond, c.cryptoRaw),
    },
    {
      figure: `delivered/s, the same at full speed, ${r.exchange.fullSpeedBatched.result.batchSize} per request (POST /v1/messages/batch; p99 ${n(r.exchange.fullSpeedBatched.result.latencyMs.p99)} ms)`,
      exchange: n(r.exchange.fullSpeedBatched.result.perSecond),
      ceiling: n(lower),
      ratio: pct(r.exchange.fullSpeedBatched.result.perSecond, lower),
    },
    {
      figure: 'latency p50 / p95 / p99 / max at full speed (acceptance → delivered)',
      exchange: ms(full.latencyMs),
      ceiling: `${ms(t.roundTrip.latencyMs)} (kafkajs round trip)`,
      ratio: '',
    },
    ...byStage(full),
    {
      figure: `latency p50 / p95 / p99 / max at ${r.options.ratePerSecond}/s offered (${rated.messages} messages)`,
      exchange: ms(rated.latencyMs),
      ceiling: '',
      ratio: '',
    },
    ...byStage(rated),
    {
      figure: `latency p50 / p95 / p99 / max at ${r.exchange.normalLoad.result.ratePerSecond}/s offered, half of full speed (${r.exchange.normalLoad.result.messages} messages)`,
      exchange: ms(r.exchange.normalLoad.result.latencyMs),
      ceiling: '',
      ratio: '',
    },
    {
      figure: `delivered/s at ${r.options.ratePerSecond}/s offered`,
      exchange: n(rated.perSecond),
      ceiling: n(r.options.ratePerSecond),
      ratio: pct(rated.perSecond, r.options.ratePerSecond),
    },
    {
      figure: 'signed record on the wire, median bytes (ceiling: the record size kafkajs was measured with)',
      exchange: n(full.recordBytes),
      ceiling: n(r.transport.result.payloadBytes),
      ratio: '',
    },
  ];
  const diy = r.diy;
  rows.push({
    figure: `CPU per delivered message, all processes, full speed (ms; ceiling: ${diy ? 'the DIY peer’s' : 'none without the DIY peer'})`,
    exchange: cpuMs(r.exchange.fullSpeed),
    ceiling: diy ? cpuMs(diy) : '',
    ratio: '',
  });
  rows.push({
    figure: `CPU per delivered message, all processes, full speed, ${r.exchange.fullSpeedBatched.result.batchSize} per request (ms)`,
    exchange: cpuMs(r.exchange.fullSpeedBatched),
    ceiling: '',
    ratio: '',
  });
  if (diy)
    rows.push(
      {
        figure: `Puente / DIY throughput: delivered/s at full speed (ceiling: the DIY peer, kafkajs + jose + pg, ${diy.result.messages} × 2 KB, signed records of ${n(diy.result.recordBytes)} bytes)`,
        exchange: n(full.perSecond),
        ceiling: n(diy.result.perSecond),
        ratio: pct(full.perSecond, diy.result.perSecond),
      },
      {
        figure: `latency p50 / p95 / p99 / max, the DIY peer at full speed (row written → settled; ${diy.result.delivered} settled, ${diy.result.stored} stored)`,
        exchange: '',
        ceiling: ms(diy.result.latencyMs),
        ratio: '',
      },
    );
  if (r.replicas)
    for (const [name, one, more] of [
      ['full speed', r.exchange.fullSpeed, r.replicas.fullSpeed],
      [
        `full speed, ${r.exchange.fullSpeedBatched.result.batchSize} per request`,
        r.exchange.fullSpeedBatched,
        r.replicas.fullSpeedBatched,
      ],
    ] as const)
      rows.push(
        {
          figure: `delivered/s, ${name}, us-cbp as ${r.replicas.count} replicas on one database (p99 ${n(more.result.latencyMs.p99)} ms; ceiling: one process)`,
          exchange: n(more.result.perSecond),
          ceiling: n(one.result.perSecond),
          ratio: pct(more.result.perSecond, one.result.perSecond),
        },
        {
          figure: `  … CPU per delivered message, all processes (ms; ceiling: one process)`,
          exchange: cpuMs(more),
          ceiling: cpuMs(one),
          ratio: '',
        },
      );
  if (r.threeBrokers)
    for (const [name, one, three] of [
      ['full speed', r.exchange.fullSpeed, r.threeBrokers.fullSpeed],
      [
        `full speed, ${r.exchange.fullSpeedBatched.result.batchSize} per request`,
        r.exchange.fullSpeedBatched,
        r.threeBrokers.fullSpeedBatched,
      ],
    ] as const)
      rows.push({
        figure: `delivered/s, ${name}, on three brokers (RF 3, min ISR 2; p99 ${n(three.result.latencyMs.p99)} ms; ceiling: the same on one broker)`,
        exchange: n(three.result.perSecond),
        ceiling: n(one.result.perSecond),
        ratio: pct(three.result.perSecond, one.result.perSecond),
      });
  for (const p of r.exchange.payloads)
    rows.push({
      figure: `delivered/s, ${p.result.messages} × ${p.result.payloadBytes} B payloads (p99 ${n(p.result.latencyMs.p99)} ms)`,
      exchange: n(p.result.perSecond),
      ceiling: n(lower),
      ratio: pct(p.result.perSecond, lower),
    });
  const five = r.exchange.fiveNodes.result;
  rows.push({
    figure: `delivered/s, five nodes, ${five.flows.length} flows at once under three agreements, ${five.messages} × about 2 KB (p99 ${n(five.latencyMs.p99)} ms)`,
    exchange: n(five.perSecond),
    ceiling: n(lower),
    ratio: pct(five.perSecond, lower),
  });
  for (const q of r.passenger.result)
    rows.push({
      figure: `passenger query, ${q.travelers} travelers: submitted → assessed (p50 / max of ${q.runs})`,
      exchange: `${n(q.latencyMs.p50)} / ${n(q.latencyMs.max)} ms`,
      ceiling: '',
      ratio: '',
    });
  rows.push(
    {
      figure: 'jose sign / verify, 2 KB message (µs)',
      exchange: '',
      ceiling: `${r.crypto.jose.message.sign.microsPerOp.toFixed(0)} / ${r.crypto.jose.message.verify.microsPerOp.toFixed(0)}`,
      ratio: '',
    },
    {
      figure: 'node:crypto Ed25519 sign / verify, same bytes (µs)',
      exchange: '',
      ceiling: `${r.crypto.raw.message.sign.microsPerOp.toFixed(0)} / ${r.crypto.raw.message.verify.microsPerOp.toFixed(0)}`,
      ratio: '',
    },
    {
      figure: 'jose JWE encrypt / decrypt, 2 KB passenger payload (µs)',
      exchange: '',
      ceiling: `${r.crypto.jwe.encrypt.microsPerOp.toFixed(0)} / ${r.crypto.jwe.decrypt.microsPerOp.toFixed(0)}`,
      ratio: '',
    },
  );
  return rows;
}

function phases(r: BenchReport): Phase<unknown>[] {
  return [
    r.exchange.fullSpeed,
    r.exchange.fullSpeedBatched,
    r.exchange.offeredRate,
    r.exchange.normalLoad,
    ...r.exchange.payloads,
    r.exchange.fiveNodes,
    ...(r.replicas ? [r.replicas.fullSpeed, r.replicas.fullSpeedBatched] : []),
    ...(r.threeBrokers ? [r.threeBrokers.fullSpeed, r.threeBrokers.fullSpeedBatched] : []),
    ...(r.diy ? [r.diy] : []),
    r.transport,
    r.passenger,
  ];
}

function processRows(p: Phase<unknown>): string[][] {
  return p.processes.map((u: ProcUsage) => [p.name, u.name, u.cpuSeconds.toFixed(1), n(u.peakRssMiB)]);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** What the DIY peer is, and what it leaves out that Puente does: said wherever its figures are. */
const DIY_NOTE =
  'The DIY peer is the pipeline a team would write without Puente (tools/bench/diy/, kafkajs + jose + pg, ' +
  'sender and receiver as two processes, the same broker, PostgreSQL and producer settings): it signs a ' +
  '2 KB JSON message (compact JWS, Ed25519), keeps an outstanding row, produces 64 at a time; the receiver ' +
  'verifies, inserts once (ON CONFLICT DO NOTHING) and sends a signed receipt; the sender verifies it and ' +
  'settles the row. It leaves out schema validation, agreements and purposes, payload encryption, the audit ' +
  'chain, expiry and redelivery, dead letters, the REST API and its authentication, and the flow events.';

const FIGURE_HEADER = ['figure', 'exchange', 'ceiling', 'ratio'] as const;
const PROCESS_HEADER = ['phase', 'process', 'CPU s', 'peak RSS MiB'] as const;

/** The driver's re-sent requests: a reset kept-alive socket is retried once, and said here. */
function resentLine(r: BenchReport): string {
  const n = r.resentRequests;
  return n === 0
    ? 'The driver re-sent no request (no kept-alive socket was reset under it).'
    : `The driver re-sent ${n} request${n === 1 ? '' : 's'} once, after a kept-alive socket was reset as it went out.`;
}

export function textReport(r: BenchReport): string {
  const figures = figureRows(r).map((f) => [f.figure, f.exchange, f.ceiling, f.ratio]);
  return [
    `Puente benchmark, ${r.startedAt}: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, ${r.options.store}`,
    '',
    table(FIGURE_HEADER, figures),
    '',
    resentLine(r),
    '',
    'CPU seconds and peak resident memory per process, by phase:',
    table(PROCESS_HEADER, phases(r).flatMap(processRows)),
  ].join('\n');
}

export function markdownReport(r: BenchReport, command: string): string {
  const figures = figureRows(r).map((f) => [f.figure, f.exchange, f.ceiling, f.ratio]);
  return [
    `# Puente benchmark — ${r.startedAt}`,
    '',
    `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}. ` +
      `Broker, nodes (${r.options.store}) and the bench driver share the machine. Command: \`${command}\`.`,
    '',
    markdownTable(FIGURE_HEADER, figures),
    '',
    resentLine(r),
    '',
    'Ceilings: the transport ceiling is measured — kafkajs alone through the same broker with the ' +
      "nodes' producer settings (idempotent, acks all, one request in flight), a message one way and a " +
      'small reply back, each side with its own producer. The crypto ceiling is derived from measured ' +
      'single-thread µs per operation: a delivered message needs its message and its receipt each signed ' +
      'once and verified once; multiplied by the cores, as the two nodes sign and verify in parallel.',
    '',
    ...(r.diy ? [DIY_NOTE, ''] : []),
    '## CPU seconds and peak resident memory per process',
    '',
    markdownTable(PROCESS_HEADER, phases(r).flatMap(processRows)),
    '',
  ].join('\n');
}

import { kafkaAccessFromEnv } from '@app/testing';
import { runBench, type BenchReport } from '../../tools/bench/bench';
import { figureRows, markdownReport, textReport } from '../../tools/bench/report';

jest.setTimeout(600_000);

/**
 * `npm run bench` in miniature, so it cannot rot: a few hundred messages through every phase — both
 * ceilings, the exchange at full speed and at offered rates, three payload sizes, five nodes,
 * passenger queries, the hand-rolled DIY peer, us-cbp as two replicas — over the test broker and
 * PostgreSQL, nodes as processes from the sources.
 * It asserts that every message was delivered and every figure was measured, not how fast.
 */
describe('2100 the benchmark, smoke-sized', () => {
  let report: BenchReport;
  const lines: string[] = [];

  beforeAll(async () => {
    const adminUrl = process.env.PUENTE_TEST_POSTGRES_URL;
    report = await runBench({
      kafka: kafkaAccessFromEnv(),
      postgres: adminUrl ? { adminUrl } : undefined,
      messages: 300,
      ratePerSecond: 50,
      scalingMessages: 100,
      passengerRuns: 1,
      passengerSizes: [10, 100],
      cryptoCount: 50,
      entry: 'source',
      replicas: 2,
      log: (line) => lines.push(line),
    });
  });

  it('delivers every message of every exchange phase, none rejected', () => {
    const { fullSpeed, fullSpeedBatched, offeredRate, normalLoad, payloads, fiveNodes } = report.exchange;
    for (const p of [fullSpeed, fullSpeedBatched, offeredRate, normalLoad, ...payloads, fiveNodes]) {
      expect(p.result.delivered).toBe(p.result.messages);
      expect(p.result.rejected).toBe(0);
      expect(p.result.perSecond).toBeGreaterThan(0);
      expect(p.result.latencyMs.p50).toBeGreaterThan(0);
      expect(p.result.latencyMs.max).toBeGreaterThanOrEqual(p.result.latencyMs.p99);
    }
    // Where the time goes, from the nodes' own events: each point is after acceptance, and the
    // recipient takes a record before its receipt can settle it.
    for (const p of [fullSpeed, offeredRate]) {
      const { published, received } = p.result.latencyByStageMs;
      expect(published.p50).toBeGreaterThan(0);
      expect(received.p50).toBeGreaterThan(0);
      expect(received.p99).toBeLessThanOrEqual(p.result.latencyMs.p99);
    }
    // Five nodes exchanging at once: every one of them sends or receives in a flow that delivered.
    const busy = fiveNodes.result.flows.filter((f) => f.delivered > 0).flatMap((f) => [f.from, f.to]);
    expect(new Set(busy)).toEqual(new Set(['sv-dga', 'us-cbp', 'us-ice', 'mx-anam', 'sv-dgme']));
    expect(fiveNodes.result.flows.reduce((sum, f) => sum + f.delivered, 0)).toBe(fiveNodes.result.messages);
    expect(fullSpeed.result.messages).toBe(300);
    expect(fullSpeedBatched.result.messages).toBe(300);
    expect(payloads.map((p) => p.result.payloadBytes)).toEqual([200, 2_048, 65_536]);
    // Bigger payloads make bigger signed records on the wire.
    const [small, , large] = payloads.map((p) => p.result.recordBytes);
    expect(large).toBeGreaterThan((small ?? 0) + 60_000);
  });

  it('runs the DIY peer on the same broker and database: every message settled and stored once', () => {
    const diy = report.diy;
    expect(diy?.result).toMatchObject({ messages: 300, delivered: 300, stored: 300, refused: 0 });
    expect(diy?.result.perSecond).toBeGreaterThan(0);
    expect(diy?.result.latencyMs.p50).toBeGreaterThan(0);
    expect(diy?.result.recordBytes).toBeGreaterThan(2_048);
    for (const name of ['diy sender', 'diy receiver']) {
      const usage = diy?.processes.find((p) => p.name === name);
      expect(usage?.cpuSeconds).toBeGreaterThan(0);
      expect(usage?.peakRssMiB).toBeGreaterThan(20);
    }
  });

  it('runs us-cbp as two replicas, each process watched', () => {
    expect(report.replicas?.count).toBe(2);
    for (const p of [report.replicas?.fullSpeed, report.replicas?.fullSpeedBatched]) {
      expect(p?.result.delivered).toBe(300);
      expect(p?.result.rejected).toBe(0);
      const replicas = p?.processes.filter((u) => u.name.startsWith('node us-cbp, replica ')) ?? [];
      expect(replicas.map((u) => u.name)).toEqual(['node us-cbp, replica 1', 'node us-cbp, replica 2']);
      for (const u of replicas) expect(u.peakRssMiB).toBeGreaterThan(20);
    }
  });

  it('measures both ceilings, with every signature checked', () => {
    expect(report.transport.result.oneWay.endToEnd.ops).toBe(300);
    expect(report.transport.result.roundTrip.endToEnd.opsPerSecond).toBeGreaterThan(0);
    expect(report.crypto.checks).toMatchObject({
      verifyFailures: 0,
      rawSignatureEqualsJose: true,
      tamperedJwsRefused: true,
      tamperedRawRefused: true,
      jweRoundTrip: true,
    });
    expect(report.crypto.delivered.jose.messagesPerSecondPerCore).toBeGreaterThan(0);
  });

  it('answers every passenger query completely', () => {
    expect(report.passenger.result.map((q) => q.travelers)).toEqual([10, 100]);
  });

  it('reports CPU and peak memory for each node in each phase', () => {
    const usage = report.exchange.fiveNodes.processes;
    expect(usage.filter((u) => u.name.startsWith('node ')).map((u) => u.name)).toHaveLength(5);
    for (const u of report.exchange.fullSpeed.processes.filter((p) => p.name.startsWith('node '))) {
      expect(u.cpuSeconds).toBeGreaterThan(0);
      expect(u.peakRssMiB).toBeGreaterThan(20);
    }
  });

  it('renders the table as text and Markdown, one row per figure', () => {
    const rows = figureRows(report);
    const text = textReport(report);
    const markdown = markdownReport(report, 'npm run bench');
    for (const row of rows) {
      expect(text).toContain(row.figure);
      expect(markdown).toContain(row.exchange || row.ceiling);
    }
    // Whether the driver had to re-send anything is said, not hidden behind its retry.
    expect(markdown).toMatch(/The driver re-sent (no request|\d+ requests? once)/);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(lines.some((l) => l.startsWith('exchange at full speed'))).toBe(true);
    // The CPU per delivered message, all processes summed, is one figure beside the DIY peer's.
    const cpu = rows.find((row) =>
      row.figure.startsWith('CPU per delivered message, all processes, full speed ('),
    );
    expect(Number(cpu?.exchange)).toBeGreaterThan(0);
    expect(Number(cpu?.ceiling)).toBeGreaterThan(0);
    expect(rows.some((row) => row.figure.startsWith('Puente / DIY throughput'))).toBe(true);
    expect(markdown).toContain('leaves out schema validation');
  });
});

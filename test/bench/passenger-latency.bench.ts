import { flightQuery, syntheticTravelers, withAssessor } from '../support/passengers.fixture';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

/**
 * `npm run bench:passenger`: end-to-end latency of a 1,000-traveler query — sv-dgme submits, us-cbp
 * decrypts, validates, assesses against the watchlist and answers, sv-dgme has the assessment — over
 * the real broker and PostgreSQL. Prints the figures; asserts only that every answer is complete.
 */
const RUNS = Number(process.env.PUENTE_BENCH_RUNS ?? 5);
jest.setTimeout(600_000);

describe('bench: passenger-risk query latency', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dgme', 'us-cbp'],
      ...withAssessor(),
    });
  });
  afterAll(() => network?.stop());

  it.each([10, 100, 1000])('%i travelers', async (count) => {
    const dgme = network.node('sv-dgme');
    const timings: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const payload = flightQuery(syntheticTravelers(count, 1000 + run));
      const started = performance.now();
      const sent = await dgme.api.submit({
        type: 'TravelerRiskQuery',
        to: 'us-cbp',
        purpose: 'traveler-risk-assessment',
        payload,
      });
      expect(sent.status).toBe(202);
      const answer = await waitFor(
        'the assessment',
        async () => (await dgme.api.message(sent.body.id)).body.replies?.[0],
        { timeoutMs: 60_000, intervalMs: 20 },
      );
      timings.push(performance.now() - started);
      expect((answer.payload as { results: unknown[] }).results).toHaveLength(count);
    }
    const sorted = [...timings].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    process.stdout.write(
      `\n[bench] passenger query, ${count} travelers, ${RUNS} runs: median ${median.toFixed(0)} ms, min ${sorted[0]?.toFixed(0)} ms, max ${sorted[sorted.length - 1]?.toFixed(0)} ms\n`,
    );
  });
});

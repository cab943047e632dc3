import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startOpsMonitor, type RunningOpsMonitor } from '../../apps/ops-monitor/src/bootstrap';
import { loadMonitorConfig } from '../../apps/ops-monitor/src/config/monitor-config.loader';
import {
  flaggedTravelers,
  flightQuery,
  syntheticTravelers,
  withAssessor,
} from '../support/passengers.fixture';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

interface TrailResponse {
  steps: { node: string; stage: string; outcome: string }[];
}

/**
 * After a passenger-risk run — sv-dgme sends a flight's travelers to us-cbp, which assesses them
 * (three are on the watchlist) and answers — everything ops staff can read from the monitor, and
 * the nodes' metrics it scrapes, carries the flow but not one traveler's name, date of birth or
 * document number.
 */
describe('1950 the ops monitor shows passenger-risk traffic without personal data', () => {
  let network: TestNetwork;
  let monitor: RunningOpsMonitor;
  const opsToken = randomBytes(24).toString('base64url');
  const travelers = [...syntheticTravelers(40, 1950), ...flaggedTravelers()];

  beforeAll(async () => {
    network = await TestNetwork.start({ parties: ['sv-dgme', 'us-cbp'], ...withAssessor() });
    const clientsFile = join(network.dir, 'ops-monitor.api-clients.json');
    const tokenSha256 = createHash('sha256').update(opsToken).digest('hex');
    writeFileSync(
      clientsFile,
      JSON.stringify({ clients: [{ id: 'network-ops', agency: 'puente-noc', roles: ['ops'], tokenSha256 }] }),
    );
    monitor = await startOpsMonitor(
      loadMonitorConfig({
        ...network.kafkaEnv('ops-monitor'),
        PORT: '0',
        PUENTE_MONITOR_NODES: ['sv-dgme', 'us-cbp'].map((p) => `${p}=${network.node(p).url}`).join(','),
        PUENTE_MONITOR_CLIENTS_FILE: clientsFile,
        PUENTE_MONITOR_POLL_MS: '500',
        PUENTE_MONITOR_FROM_BEGINNING: 'true',
      }),
      { logger: ['error', 'warn'] },
    );
  });
  afterAll(async () => {
    await monitor?.close();
    await network?.stop();
  });

  const get = async (url: string, token?: string) => {
    const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect(res.status).toBe(200);
    return res.text();
  };

  /** The first `ms` of the live event stream, as a browser would receive it. */
  const streamFor = async (ms: number): Promise<string> => {
    const abort = new AbortController();
    const res = await fetch(`${monitor.url}/api/stream`, {
      headers: { authorization: `Bearer ${opsToken}` },
      signal: abort.signal,
    });
    const reader = res.body?.getReader();
    if (!reader) throw new Error('the stream has no body');
    const chunks: string[] = [];
    const timer = setTimeout(() => abort.abort(), ms);
    try {
      for (;;) {
        const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
        if (done) break;
        if (value) chunks.push(Buffer.from(value).toString('utf8'));
      }
    } catch {
      // aborted: the sample is complete
    } finally {
      clearTimeout(timer);
    }
    return chunks.join('');
  };

  it('holds the flow of the query and its assessment, and none of the travelers', async () => {
    const dgme = network.node('sv-dgme');
    const sent = await dgme.api.submit({
      type: 'TravelerRiskQuery',
      to: 'us-cbp',
      purpose: 'traveler-risk-assessment',
      payload: flightQuery(travelers),
    });
    expect(sent.status).toBe(202);
    const queryId = sent.body.id;
    const answer = await waitFor(
      'the risk assessment',
      async () => (await dgme.api.message(queryId)).body.replies?.[0],
      { timeoutMs: 30_000 },
    );
    expect((answer.payload as { results: unknown[] }).results).toHaveLength(travelers.length);

    // The monitor has both messages' stages on both nodes.
    const trail = async (id: string) =>
      JSON.parse(await get(`${monitor.url}/api/trail?messageId=${id}`, opsToken)) as TrailResponse;
    await waitFor(
      'the query and the assessment settled on the monitor',
      async () =>
        (await trail(queryId)).steps.some((s) => s.stage === 'settle') &&
        (await trail(answer.id)).steps.some((s) => s.stage === 'settle'),
      { timeoutMs: 20_000 },
    );

    const seen = [
      await get(`${monitor.url}/`),
      await get(`${monitor.url}/api/summary`, opsToken),
      await get(`${monitor.url}/api/trail?messageId=${queryId}`, opsToken),
      await get(`${monitor.url}/api/trail?messageId=${answer.id}`, opsToken),
      await get(`${monitor.url}/api/trail?conversationId=${sent.body.conversationId}`, opsToken),
      await get(`${monitor.url}/metrics`),
      await get(`${monitor.url}/health`),
      await streamFor(2_500),
      await get(`${dgme.url}/metrics`),
      await get(`${network.node('us-cbp').url}/metrics`),
    ].join('\n');

    // What ops staff should see is there: the agreement, the query's flow and its assessment.
    expect(seen).toContain('atsg-us-sv');
    expect(seen).toContain(queryId);
    expect(seen).toContain(answer.id);
    // What they must not: any traveler's name, date of birth or document number.
    const personal = travelers.flatMap((t) => [
      t.surname,
      t.givenNames,
      t.dateOfBirth,
      t.document.number,
      ...t.surname.split(' ').filter((part) => part.length >= 4),
    ]);
    // Whole words, as written (a short given name like "Ana" is also inside ordinary words).
    const escape = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const leaked = personal.filter((value) =>
      new RegExp(`(^|[^\\p{L}\\d])${escape(value)}($|[^\\p{L}\\d])`, 'u').test(seen),
    );
    expect(leaked).toEqual([]);
  });
});

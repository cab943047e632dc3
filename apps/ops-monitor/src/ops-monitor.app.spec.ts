import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { refusedSubmit, roundTrip } from './aggregation/flow-events.test-fixture';
import type { TrailStep } from './aggregation/trail.index';
import { startOpsMonitor, type RunningOpsMonitor } from './bootstrap';
import type { MonitorConfig } from './config/monitor-config';
import { ManualFlowSource } from './ingest/flow-source.test-fixture';
import type { MonitorSummary } from './shared/monitor-summary';

const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const OPS = 'ops-token-for-the-app-spec';
const OFFICER = 'officer-token-for-the-app-spec';

/** A stand-in exchange node: its /health answers like the real one, and it has no /metrics yet. */
function fakeNode(): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'ready',
          party: 'sv-dga',
          outboxBacklog: 2,
          checks: { database: { ok: true } },
        }),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('ops monitor app (real module, hand-fed flow source)', () => {
  let monitor: RunningOpsMonitor;
  let node: Server;
  const source = new ManualFlowSource();
  const get = (path: string, token?: string) =>
    fetch(`${monitor.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const summary = async () => (await (await get('/api/summary', OPS)).json()) as MonitorSummary;

  beforeAll(async () => {
    node = await fakeNode();
    const config: MonitorConfig = {
      http: { host: '127.0.0.1', port: 0 },
      kafka: {
        brokers: ['127.0.0.1:1'],
        clientId: 'x',
        groupId: 'x',
        security: { kind: 'plaintext' },
        topicNamespace: 'x',
        fromBeginning: false,
        provisionTopic: false,
      },
      nodes: [
        { party: 'sv-dga', url: `http://127.0.0.1:${(node.address() as AddressInfo).port}` },
        { party: 'us-cbp', url: 'http://127.0.0.1:9' }, // nothing listens there
      ],
      clients: [
        { id: 'noc', agency: 'network-ops', roles: ['ops'], tokenSha256: sha(OPS) },
        { id: 'desk', agency: 'sv-dga', roles: ['officer'], tokenSha256: sha(OFFICER) },
      ],
      window: { historyMs: 900_000, maxEvents: 10_000, overdueAfterMs: 30_000 },
      poll: { intervalMs: 200, timeoutMs: 200 },
      logJson: false,
    };
    monitor = await startOpsMonitor(config, { source, logger: false });
  });
  afterAll(async () => {
    await monitor?.close();
    await new Promise((r) => node?.close(r));
  });

  it('serves the dashboard without a token, as one page whose CSP allows only its own inline script and style', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    const html = await res.text();
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
    expect(script.length).toBeGreaterThan(1000);
    expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    expect(html).not.toMatch(/<script src|<link rel="stylesheet"|https?:\/\/(?!www\.w3\.org)/);
    for (const id of ['flow-map', 'refusals-table', 'trail-input', 'token-input'])
      expect(html).toContain(`data-testid="${id}"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('lets only ops clients use the API: 401 without or with an unknown token, 403 without the ops role', async () => {
    expect((await get('/api/summary')).status).toBe(401);
    expect(await (await get('/api/summary', 'nope')).json()).toMatchObject({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
    });
    expect(await (await get('/api/summary', OFFICER)).json()).toMatchObject({
      statusCode: 403,
      code: 'FORBIDDEN_ROLE',
    });
    expect((await get('/api/stream', OFFICER)).status).toBe(403);
    expect((await get('/api/summary', OPS)).status).toBe(200);
  });

  it('summarises hand-fed flow events and skips invalid records', async () => {
    const now = Date.now();
    source.publish(...roundTrip('m-app-1', now - 1_000), refusedSubmit(now - 500));
    source.publishRaw('{"not":"a flow event"}');
    source.publishRaw(null);
    const { links, refusals, ingest, parties, consumer } = await summary();
    expect(links).toEqual([
      expect.objectContaining({
        from: 'sv-dga',
        to: 'us-cbp',
        agreementId: 'cmaa-us-sv',
        sent: 1,
        delivered: 1,
      }),
      expect.objectContaining({ from: 'us-cbp', to: 'sv-dga', refused: 1 }),
    ]);
    expect(refusals).toEqual([expect.objectContaining({ reason: 'PURPOSE_NOT_PERMITTED', count: 1 })]);
    expect(ingest).toMatchObject({ ingested: 6, invalid: 2 });
    expect(parties).toEqual(['sv-dga', 'us-cbp']);
    expect(consumer).toEqual({ running: true, topic: 'manual.ops.flow' });
  });

  it('polls the nodes: health and backlog of a live one, unreachable for one that does not answer', async () => {
    const deadline = Date.now() + 5_000;
    let nodes: MonitorSummary['nodes'] = [];
    while (Date.now() < deadline) {
      nodes = (await summary()).nodes;
      if (nodes.every((n) => n.state !== 'unknown')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(nodes).toEqual([
      expect.objectContaining({ party: 'sv-dga', state: 'ready', outboxBacklog: 2, metricsAvailable: false }),
      expect.objectContaining({ party: 'us-cbp', state: 'unreachable' }),
    ]);
  });

  it('gives the trail of a message across nodes, and refuses a malformed query', async () => {
    const res = (await (await get('/api/trail?messageId=m-app-1', OPS)).json()) as {
      query: unknown;
      steps: TrailStep[];
    };
    expect(res.query).toEqual({ messageId: 'm-app-1' });
    expect(res.steps.map((s) => `${s.node}:${s.stage}`)).toEqual([
      'sv-dga:submit',
      'sv-dga:publish',
      'us-cbp:receive',
      'sv-dga:settle',
    ]);
    expect((await get('/api/trail?messageId=a%20b', OPS)).status).toBe(400);
    expect((await get('/api/trail', OPS)).status).toBe(400);
  });

  it('streams a summary at once and new flow events as they arrive', async () => {
    const controller = new AbortController();
    const res = await fetch(`${monitor.url}/api/stream`, {
      headers: { authorization: `Bearer ${OPS}` },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) text += (await reader.read()).value ?? '';
    };
    await readUntil(/event: summary\n/);
    expect(await (await get('/metrics')).text()).toMatch(/puente_monitor_sse_clients 1/);
    source.publish(refusedSubmit(Date.now()));
    await readUntil(/event: flow\n[^\n]*\ndata: .*PURPOSE_NOT_PERMITTED/);
    controller.abort();
  });

  it('exposes its own health and Prometheus metrics', async () => {
    expect(await (await get('/health')).json()).toMatchObject({ status: 'ready' });
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(/puente_monitor_events_ingested_total 7/);
    expect(metrics).toMatch(/puente_monitor_events_invalid_total 2/);
    expect(metrics).toMatch(/puente_monitor_window_events 7/);
    expect(metrics).toMatch(/puente_monitor_process_cpu_seconds_total/);
  });
});

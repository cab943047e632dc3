import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';
import { startOpsMonitor, type RunningOpsMonitor } from '../../apps/ops-monitor/src/bootstrap';
import { loadMonitorConfig } from '../../apps/ops-monitor/src/config/monitor-config.loader';
import { REPO_ROOT, TestNetwork } from '../support/test-network';

/** Debian's Chromium (apt-get install chromium); PUENTE_CHROMIUM points elsewhere. */
const CHROMIUM = process.env.PUENTE_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = join(REPO_ROOT, 'test-output/ops-monitor-dashboard.png');
const SEEN_WITHIN_MS = 10_000;

/** Every string of a payload long enough to be recognisable, to prove none of it reaches the ops view. */
function payloadTexts(value: unknown): string[] {
  if (typeof value === 'string') return value.length >= 8 ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(payloadTexts);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(payloadTexts);
  return [];
}

/**
 * Ops staff watch sv-dga and us-cbp exchange over the real broker, live in a real browser: a
 * permitted CMAA request appears on the sv-dga → us-cbp edge, a refused one in the refusal table,
 * and a search shows the permitted message's stages on both nodes — with no payload on screen.
 */
describe('1900 ops monitor dashboard over a live network', () => {
  let network: TestNetwork;
  let monitor: RunningOpsMonitor;
  let browser: Browser;
  let page: Page;
  const opsToken = randomBytes(24).toString('base64url');
  const officerToken = randomBytes(24).toString('base64url');

  beforeAll(async () => {
    network = await TestNetwork.start({ parties: ['sv-dga', 'us-cbp'] });
    const clientsFile = join(network.dir, 'ops-monitor.api-clients.json');
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    writeFileSync(
      clientsFile,
      JSON.stringify({
        clients: [
          { id: 'network-ops', agency: 'puente-noc', roles: ['ops'], tokenSha256: sha(opsToken) },
          { id: 'desk-officer', agency: 'sv-dga', roles: ['officer'], tokenSha256: sha(officerToken) },
        ],
      }),
    );
    const config = loadMonitorConfig({
      ...network.kafkaEnv('ops-monitor'),
      PORT: '0',
      PUENTE_MONITOR_NODES: ['sv-dga', 'us-cbp'].map((p) => `${p}=${network.node(p).url}`).join(','),
      PUENTE_MONITOR_CLIENTS_FILE: clientsFile,
      PUENTE_MONITOR_POLL_MS: '500',
      // The namespace is new: reading it from the start cannot pick up anything but this test's events.
      PUENTE_MONITOR_FROM_BEGINNING: 'true',
    });
    monitor = await startOpsMonitor(config, { logger: ['error', 'warn'] });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1250 } });
  });

  afterAll(async () => {
    await browser?.close();
    await monitor?.close();
    await network?.stop();
  });

  it('keeps the API to ops clients', async () => {
    const summary = (token?: string) =>
      fetch(`${monitor.url}/api/summary`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await summary()).status).toBe(401);
    expect((await summary(officerToken)).status).toBe(403);
    expect((await summary(opsToken)).status).toBe(200);
  });

  it('shows the permitted flow, the refusal and the message trail live, without payloads', async () => {
    await page.goto(`${monitor.url}/`);
    await page.fill('[data-testid="token-input"]', opsToken);
    await page.click('[data-testid="token-submit"]');
    await page.waitForSelector('[data-testid="connection-state"][data-state="live"]');
    await page.waitForSelector('[data-testid="node-health-sv-dga"][data-state="ready"]');
    await page.waitForSelector('[data-testid="node-health-us-cbp"][data-state="ready"]');

    const request = EXAMPLE_PAYLOADS[MessageType.AssistanceRequest];
    const sent = await network.node('sv-dga').api.post('/v1/messages', {
      type: 'AssistanceRequest',
      to: 'us-cbp',
      purpose: 'trafficking',
      payload: request,
    });
    expect(sent.status).toBe(202);
    const messageId = (sent.body as { id: string }).id;
    const refused = await network.node('us-cbp').api.post('/v1/messages', {
      type: 'AssistanceRequest',
      to: 'sv-dga',
      purpose: 'tourism',
      payload: request,
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'PURPOSE_NOT_PERMITTED' });

    // Live, without a reload: the edge and the refusal arrive over the event stream.
    const edge = await page.waitForSelector('[data-testid="flow-edge-sv-dga-us-cbp"][data-sent="1"]', {
      timeout: SEEN_WITHIN_MS,
    });
    expect(await edge.getAttribute('data-agreements')).toBe('cmaa-us-sv');
    expect(await edge.textContent()).toContain('cmaa-us-sv: 1 sent');
    const refusal = await page.waitForSelector('[data-testid="refusal-PURPOSE_NOT_PERMITTED"]', {
      timeout: SEEN_WITHIN_MS,
    });
    expect(await refusal.getAttribute('data-count')).toBe('1');
    await page.waitForSelector('[data-testid="flow-edge-us-cbp-sv-dga"][data-refused="1"]', {
      timeout: SEEN_WITHIN_MS,
    });

    // The trail refreshes while open, so it fills in as the receipt comes back.
    await page.fill('[data-testid="trail-input"]', messageId);
    await page.click('[data-testid="trail-submit"]');
    await page.waitForSelector('[data-testid="trail-stage"][data-stage="settle"]', { timeout: 20_000 });
    // Attributes through locators: this tsconfig has no DOM types for in-page callbacks.
    const rows = page.locator('[data-testid="trail-stage"]');
    const stages: string[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const attr = (name: string) => rows.nth(i).getAttribute(name);
      stages.push(`${await attr('data-node')}:${await attr('data-stage')}:${await attr('data-outcome')}`);
    }
    expect(stages).toEqual([
      'sv-dga:submit:OK',
      'sv-dga:publish:OK',
      'us-cbp:receive:OK',
      'sv-dga:settle:ACCEPTED',
    ]);

    const shown = await page.innerText('body');
    for (const text of payloadTexts(request)) expect(shown).not.toContain(text);

    mkdirSync(join(REPO_ROOT, 'test-output'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });
});

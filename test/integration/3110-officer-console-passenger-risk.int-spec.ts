import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PartyId } from '@app/contracts';
import { buildConsole } from '../../tools/console/console.bundle';
import {
  flaggedTravelers,
  flightQuery,
  syntheticTravelers,
  withAssessor,
} from '../support/passengers.fixture';
import { REPO_ROOT, TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

const CHROMIUM = process.env.PUENTE_CHROMIUM ?? '/usr/bin/chromium';
const OUT = join(REPO_ROOT, 'test-output');

/**
 * A DGME officer follows a flight's risk assessment in the console: the assessment is a table, one
 * row per traveler, the flagged travelers first. The console declares its read purpose, so the
 * node's personal-data reads (which refuse a read without one) serve it, and record it.
 */
describe('3110 officer console: a flight’s assessment, flagged travelers first', () => {
  let network: TestNetwork;
  let browser: Browser;

  async function signIn(party: PartyId): Promise<Page> {
    const page = await (
      await browser.newContext({ locale: 'en', viewport: { width: 1280, height: 800 } })
    ).newPage();
    await page.goto(`${network.node(party).url}/console`);
    await page.fill('#token', network.node(party).tokens.officer);
    await page.selectOption('#read-purpose', 'traveler-risk-assessment');
    await page.click('button[type="submit"]');
    await page.waitForSelector('nav a[href="#/compose"]');
    return page;
  }

  beforeAll(async () => {
    await buildConsole();
    network = await TestNetwork.start({ parties: ['sv-dgme', 'us-cbp'], ...withAssessor() });
    mkdirSync(OUT, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await network?.stop();
  });

  it('shows the assessment as a table with the matches on top, and the read in the access log', async () => {
    const dgme = network.node('sv-dgme');
    // The flagged travelers last in the query: the table must reorder them.
    const sent = await dgme.api.submit({
      type: 'TravelerRiskQuery',
      to: 'us-cbp',
      purpose: 'traveler-risk-assessment',
      payload: flightQuery([...syntheticTravelers(12), ...flaggedTravelers()]),
    });
    expect(sent.status).toBe(202);
    const conversationId = (sent.body as { conversationId: string }).conversationId;
    await waitFor(
      'the assessment',
      async () => (await dgme.api.message(sent.body.id)).body.replies?.length === 1,
    );

    const page = await signIn('sv-dgme');
    await page.goto(`${dgme.url}/console#/case/${conversationId}`);
    const rows = page.locator('table.risk tbody tr');
    await rows.nth(14).waitFor();
    expect(await rows.count()).toBe(15);
    const each = <T>(f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: 15 }, (_, i) => f(i)));
    const outcomes = await each((i) => rows.nth(i).getAttribute('data-outcome'));
    const refs = await each(async (i) => (await rows.nth(i).locator('td').first().textContent()) ?? '');
    // Matches first, then possible matches, then the cleared travelers; the three listed ones on top.
    const rank = (o: string | null) =>
      o === 'RISK_OUTCOME_MATCH' ? 0 : o === 'RISK_OUTCOME_POSSIBLE_MATCH' ? 1 : 2;
    expect(outcomes.map(rank)).toEqual([...outcomes.map(rank)].sort((a, b) => a - b));
    expect(outcomes[0]).toBe('RISK_OUTCOME_MATCH');
    expect(refs.slice(0, 3).sort()).toEqual(['HIT-ACCENT', 'HIT-EXACT', 'HIT-TYPO']);
    expect(outcomes.slice(3).every((o) => o === 'RISK_OUTCOME_NO_MATCH')).toBe(true);
    await page.screenshot({ path: join(OUT, '3110-risk-table.png'), fullPage: true });

    // The inbox shows what the node sent too: the query, with its counterpart and its case.
    await page.click('nav a[href="#/inbox"]');
    await page.selectOption('#filter-direction', 'sent');
    await page.waitForSelector(`tr[data-message="${sent.body.id}"] a[href="#/case/${conversationId}"]`);
    expect(await page.locator(`tr[data-message="${sent.body.id}"]`).textContent()).toContain('us-cbp');

    // us-cbp's console reads its inbox, which holds the traveler query (personal data), with a purpose.
    const cbpPage = await signIn('us-cbp');
    await cbpPage.waitForSelector(`a[href="#/case/${conversationId}"]`);
    const reads = await network
      .node('us-cbp')
      .db.query<{ detail: { purpose: string } }>("select detail from audit_log where kind = 'message.read'");
    expect(reads.map((r) => r.detail.purpose)).toContain('traveler-risk-assessment');
  });
});

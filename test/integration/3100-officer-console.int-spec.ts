import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { PartyId } from '@app/contracts';
import { buildConsole } from '../../tools/console/console.bundle';
import { REPO_ROOT, TestNetwork } from '../support/test-network';

/** Debian's Chromium (apt-get install chromium); PUENTE_CHROMIUM points elsewhere. */
const CHROMIUM = process.env.PUENTE_CHROMIUM ?? '/usr/bin/chromium';
const AXE = join(REPO_ROOT, 'node_modules/axe-core/axe.min.js');
const OUT = join(REPO_ROOT, 'test-output');
const SEEN_WITHIN_MS = 20_000;

const ids = {
  agreement: '#agreement',
  recipient: '#recipient',
  type: '#type',
  purpose: '#purpose',
  caseReference: '#f-caseReference',
  offenseCategory: '#f-offenseCategory',
  summary: '#f-summary',
  addGoods: '#f-subjects-goods-add',
  hsCode: '#f-subjects-goods-0-hsCode',
  hsCodeError: '#f-subjects-goods-0-hsCode-error',
  goodsDescription: '#f-subjects-goods-0-description',
  informationRequested: '#f-informationRequested',
  urgency: '#f-urgency',
};

/** The options of a select, blank excluded (each option's text is its value). */
async function optionsOf(page: Page, selector: string): Promise<string[]> {
  const texts = await page.locator(`${selector} option`).allTextContents();
  return texts.filter((t) => t !== '—');
}

/** Selects `value` once the select is enabled and offers it. */
async function choose(page: Page, selector: string, value: string): Promise<void> {
  await page
    .locator(`${selector}:not([disabled]) option`)
    .filter({ hasText: new RegExp(`^${value}$`) })
    .waitFor({ state: 'attached' });
  await page.selectOption(selector, value);
}

/**
 * Officers use the console in a real browser over real nodes and the broker: sv-dga composes an
 * AssistanceRequest through the generated form, meets the node's field error at its field, fixes it
 * and sends; us-cbp reads it in the inbox and answers from the case; sv-dga sees `delivered`, then
 * the answer. The same in Spanish. The console never offers what the node's decision would refuse,
 * and axe finds no serious or critical violation.
 */
describe('3100 officer console in a browser', () => {
  let network: TestNetwork;
  let browser: Browser;
  const cspViolations: string[] = [];

  async function officer(party: PartyId, locale: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto(`${network.node(party).url}/console`);
    await page.fill('#token', network.node(party).tokens.officer);
    await page.click('button[type="submit"]');
    await page.waitForSelector('nav a[href="#/compose"]');
    return { context, page };
  }

  async function composeRequest(page: Page, hsCode: string, caseReference: string): Promise<void> {
    await page.click('nav a[href="#/compose"]');
    await choose(page, ids.agreement, 'cmaa-us-sv');
    await choose(page, ids.recipient, 'us-cbp');
    await choose(page, ids.type, 'AssistanceRequest');
    await page.waitForSelector(`${ids.purpose}:not([disabled])`);
    await page.selectOption(ids.purpose, 'trafficking');
    await page.fill(ids.caseReference, caseReference);
    await page.selectOption(ids.offenseCategory, 'OFFENSE_CATEGORY_NARCOTICS_TRAFFICKING');
    await page.fill(ids.summary, 'Anomalous density in two pallets of frozen shrimp.');
    await page.click(ids.addGoods);
    await page.fill(ids.hsCode, hsCode);
    await page.fill(ids.goodsDescription, 'Frozen shrimp, 20 pallets');
    await page.fill(ids.informationRequested, 'Consignee history\nPrior seizures');
    await page.selectOption(ids.urgency, 'URGENCY_PRIORITY');
  }

  beforeAll(async () => {
    // The nodes read the bundle at start-up: build it first, as `npm run build` and the demo do.
    await buildConsole();
    network = await TestNetwork.start({ parties: ['sv-dga', 'us-cbp'] });
    mkdirSync(OUT, { recursive: true });
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
  });

  afterAll(async () => {
    await browser?.close();
    await network?.stop();
  });

  it('sv-dga asks, meets a field error at its field, sends; us-cbp answers; sv-dga sees delivered, then the answer', async () => {
    const dga = await officer('sv-dga', 'en-US');
    expect(await dga.page.textContent('h1')).toContain('Puente officer console');
    await composeRequest(dga.page, '12', 'DGA-2026-3100');
    await dga.page.click('#preview');
    await dga.page.click('#send');
    const fieldError = await dga.page.waitForSelector(ids.hsCodeError);
    expect(await fieldError.textContent()).toMatch(/hsCode/);
    expect(await dga.page.getAttribute(ids.hsCode, 'aria-invalid')).toBe('true');
    await dga.page.screenshot({ path: join(OUT, 'console-field-error.png'), fullPage: true });

    await dga.page.fill(ids.hsCode, '030617');
    await dga.page.click('#preview');
    expect(await dga.page.textContent('.preview')).toContain('030617');
    await dga.page.click('#send');
    await dga.page.waitForSelector('[data-type="AssistanceRequest"]');
    const conversation = dga.page.url().split('#/case/')[1];
    expect(conversation).toMatch(/^[0-9a-f-]{36}$/);

    const cbp = await officer('us-cbp', 'en-US');
    const link = await cbp.page.waitForSelector(`a[href="#/case/${conversation}"]`, {
      timeout: SEEN_WITHIN_MS,
    });
    expect(await cbp.page.textContent(`tr:has(a[href="#/case/${conversation}"])`)).toContain('Unread');
    await cbp.page.screenshot({ path: join(OUT, 'console-inbox.png'), fullPage: true });
    await link.click();
    await cbp.page.click('a.button[href*="type=AssistanceResponse"]');
    await cbp.page.waitForSelector(`${ids.purpose}:not([disabled])`);
    expect(await cbp.page.inputValue(ids.caseReference)).toBe('DGA-2026-3100');
    await cbp.page.fill(ids.summary, 'Consignee known; two prior seizures at Port Everglades.');
    await cbp.page.click('#preview');
    await cbp.page.click('#send');
    await cbp.page.waitForSelector('[data-type="AssistanceResponse"]');

    await dga.page.waitForSelector('[data-type="AssistanceRequest"] .status[data-status="delivered"]', {
      timeout: SEEN_WITHIN_MS,
    });
    expect(await dga.page.textContent('[data-type="AssistanceRequest"] .receipt')).toContain('Accepted');
    const answer = await dga.page.waitForSelector('[data-type="AssistanceResponse"]', {
      timeout: SEEN_WITHIN_MS,
    });
    expect(await answer.textContent()).toContain('two prior seizures');
    await dga.page.screenshot({ path: join(OUT, 'console-case.png'), fullPage: true });
    await dga.context.close();
    await cbp.context.close();
  });

  it('speaks Spanish to a Spanish browser, labels and statuses included', async () => {
    const dga = await officer('sv-dga', 'es-SV');
    expect(await dga.page.getAttribute('html', 'lang')).toBe('es');
    expect(await dga.page.textContent('h1')).toContain('Consola de oficiales de Puente');
    await composeRequest(dga.page, '12', 'DGA-2026-3101');
    expect(await dga.page.textContent('label[for="agreement"]')).toBe('Acuerdo');
    expect(await dga.page.textContent('label[for="recipient"]')).toBe('Destinatario');
    expect(await dga.page.textContent('label[for="f-caseReference"]')).toContain('obligatorio');
    await dga.page.click('#preview');
    expect(await dga.page.textContent('.preview h3')).toBe('Vista previa');
    await dga.page.click('#send');
    await dga.page.waitForSelector(ids.hsCodeError);
    expect(await dga.page.textContent('#refusal')).toContain('campo(s) por corregir');
    await dga.page.fill(ids.hsCode, '030617');
    await dga.page.click('#preview');
    await dga.page.click('#send');
    const status = await dga.page.waitForSelector(
      '[data-type="AssistanceRequest"] .status[data-status="delivered"]',
      {
        timeout: SEEN_WITHIN_MS,
      },
    );
    expect(await status.textContent()).toBe('entregado');
    expect(await dga.page.textContent('[data-type="AssistanceRequest"] .receipt')).toContain('Aceptado');
    await dga.page.screenshot({ path: join(OUT, 'console-case-es.png'), fullPage: true });
    // The switch turns it back to English without signing in again.
    await dga.page.selectOption('#lang', 'en');
    await dga.page.waitForSelector('label[for="lang"]:text("Language")');
    await dga.context.close();
  });

  it("offers no recipient or type that the node's decision would refuse", async () => {
    for (const party of ['sv-dga', 'us-cbp'] as const) {
      const { context, page } = await officer(party, 'en-US');
      await page.click('nav a[href="#/compose"]');
      const offered: { agreement: string; to: string; type: string }[] = [];
      await page.locator(`${ids.agreement} option`).nth(1).waitFor({ state: 'attached' });
      for (const agreement of await optionsOf(page, ids.agreement)) {
        await page.selectOption(ids.agreement, agreement);
        // The recipients are offered once the node's decisions for this agreement are in.
        await page.waitForSelector(`${ids.recipient}[data-for="${agreement}"]`, { state: 'attached' });
        for (const to of await optionsOf(page, ids.recipient)) {
          await page.selectOption(ids.recipient, to);
          for (const type of await optionsOf(page, ids.type)) offered.push({ agreement, to, type });
        }
      }
      expect(offered.length).toBeGreaterThan(0);
      for (const o of offered) {
        const purposes = [
          'duty-evasion',
          'trafficking',
          'proliferation',
          'money-laundering',
          'terrorism',
          'customs-law-violation',
          'border-security',
          'counter-terrorism',
          'traveler-risk-assessment',
          'joint-priorities',
          'aeo-mutual-recognition',
        ];
        const decisions = await Promise.all(
          purposes.map(async (purpose) => {
            const res = await fetch(`${network.node(party).url}/v1/agreements/decisions`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${network.node(party).tokens.officer}`,
                'content-type': 'application/json',
              },
              body: JSON.stringify({ ...o, purpose }),
            });
            return ((await res.json()) as { permitted: boolean }).permitted;
          }),
        );
        expect({ ...o, permittedForSomePurpose: decisions.some(Boolean) }).toEqual({
          ...o,
          permittedForSomePurpose: true,
        });
      }
      // Reply types are never offered for a new message: they need the request they answer.
      expect(
        offered.filter((o) => ['AssistanceResponse', 'Refusal', 'RiskAssessment'].includes(o.type)),
      ).toEqual([]);
      await context.close();
    }
  });

  it('passes axe with no serious or critical violation, at desktop and tablet width, under its CSP', async () => {
    expect(cspViolations).toEqual([]);
    // axe is injected as a script, which the console's own CSP rightly forbids: this context bypasses it.
    const context = await browser.newContext({ bypassCSP: true, locale: 'en-US' });
    const page = await context.newPage();
    const party = network.node('sv-dga');
    await page.goto(`${party.url}/console`);
    const audit = async (name: string) => {
      await page.addScriptTag({ path: AXE });
      // A string expression: the page's axe, run in the page (this file is not compiled for the DOM).
      const violations = await page.evaluate<{ id: string; impact: string }[]>(
        'axe.run().then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact })))',
      );
      expect({
        name,
        bad: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
      }).toEqual({ name, bad: [] });
    };
    await page.setViewportSize({ width: 1280, height: 800 });
    await audit('sign-in');
    await page.fill('#token', party.tokens.officer);
    await page.click('button[type="submit"]');
    await page.waitForSelector('table.inbox, main p');
    await audit('inbox');
    await page.click('nav a[href="#/compose"]');
    await choose(page, ids.agreement, 'cmaa-us-sv');
    await choose(page, ids.recipient, 'us-cbp');
    await choose(page, ids.type, 'AssistanceRequest');
    await page.click(ids.addGoods);
    await audit('compose');
    await page.setViewportSize({ width: 768, height: 1024 });
    await audit('compose at tablet width');
    await page.screenshot({ path: join(OUT, 'console-compose-tablet.png'), fullPage: true });
    await context.close();
  });
});

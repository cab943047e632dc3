/**
 * `npm run traffic [-- --rate 200 --duration 60]`: keeps the demo network (`npm run demo`) busy with
 * realistic requests — see traffic-mix.ts — sent to each party's node with its demo officer token, at
 * a fixed offered rate. Every 5 s it prints what was sent and how the nodes answered; Ctrl-C (or the
 * end of --duration) stops it with a summary. It never prints payloads.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { nextTrafficRequest, type TrafficRequest } from './traffic-mix';

const ROOT = resolve(__dirname, '../..');
const DEMO_PARTIES = ['us-cbp', 'us-ice', 'sv-dga', 'sv-dgme', 'mx-anam'] as const;

interface Options {
  rate: number;
  durationS: number;
  maxInFlight: number;
  urls: Map<string, string>;
  tokens: Map<string, string>;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '20' },
      duration: { type: 'string', default: '0' },
      'max-in-flight': { type: 'string', default: '256' },
      'base-port': { type: 'string', default: process.env.PUENTE_DEMO_BASE_PORT ?? '7101' },
      credentials: { type: 'string', default: join(ROOT, '.puente/demo/keys/credentials.json') },
    },
  });
  const number = (name: string, raw: string, min: number) => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min} (got "${raw}")`);
    return n;
  };
  let credentials: Record<string, { officer?: string }>;
  try {
    credentials = JSON.parse(readFileSync(values.credentials, 'utf8')) as typeof credentials;
  } catch (error) {
    throw new Error(
      `cannot read the demo credentials at ${values.credentials} (${error instanceof Error ? error.message : String(error)}); start the demo first: npm run demo`,
    );
  }
  const basePort = number('base-port', values['base-port'], 1);
  const urls = new Map(DEMO_PARTIES.map((p, i) => [p, `http://127.0.0.1:${basePort + i}`] as const));
  const tokens = new Map<string, string>();
  for (const party of DEMO_PARTIES) {
    const token = credentials[party]?.officer;
    if (!token) throw new Error(`${values.credentials} has no officer token for ${party}`);
    tokens.set(party, token);
  }
  return {
    rate: number('rate', values.rate, 0.1),
    durationS: number('duration', values.duration, 0),
    maxInFlight: number('max-in-flight', values['max-in-flight'], 1),
    urls,
    tokens,
  };
}

/** Counts by outcome: `sent`, a reason code, `http <status>` or `unreachable`. */
class Tally {
  readonly counts = new Map<string, number>();
  unexpected = 0;
  skipped = 0;

  add(outcome: string, request: TrafficRequest): void {
    this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + 1);
    const wanted = request.expect === 'sent' ? 'sent' : request.expect.refusedWith;
    if (outcome !== wanted) this.unexpected++;
  }

  get total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }

  line(): string {
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  }
}

async function send(o: Options, request: TrafficRequest): Promise<string> {
  try {
    const res = await fetch(`${o.urls.get(request.from)}/v1/messages`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${o.tokens.get(request.from)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(request.body),
    });
    const body = (await res.json().catch(() => ({}))) as { code?: string };
    if (res.status === 202) return 'sent';
    return body.code ?? `http ${res.status}`;
  } catch {
    return 'unreachable';
  }
}

function main(): void {
  const o = options();
  const tally = new Tally();
  let seed = 20261124;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const started = Date.now();
  let issued = 0;
  let inFlight = 0;
  let stopping = false;
  process.stdout.write(
    `[traffic] ${o.rate} requests/s to ${[...o.urls.values()].join(' ')}${o.durationS ? ` for ${o.durationS} s` : ''}; Ctrl-C stops\n`,
  );

  // Open loop: each 20 ms tick issues what the rate owes since the start, so slow answers do not
  // slow the offered rate — up to --max-in-flight, beyond which requests are skipped and counted.
  const tick = setInterval(() => {
    const owed = Math.floor(((Date.now() - started) / 1000) * o.rate) - issued;
    for (let i = 0; i < owed; i++) {
      issued++;
      if (inFlight >= o.maxInFlight) {
        tally.skipped++;
        continue;
      }
      const request = nextTrafficRequest(random, issued);
      inFlight++;
      void send(o, request).then((outcome) => {
        inFlight--;
        tally.add(outcome, request);
      });
    }
  }, 20);
  let last = { at: started, total: 0 };
  const report = setInterval(() => {
    const now = Date.now();
    const rate = ((tally.total - last.total) * 1000) / (now - last.at);
    last = { at: now, total: tally.total };
    process.stdout.write(
      `[traffic] ${rate.toFixed(0)}/s answered; ${tally.line()}${tally.unexpected ? `; ${tally.unexpected} not as the mix expected` : ''}${tally.skipped ? `; ${tally.skipped} skipped (too many in flight)` : ''}\n`,
    );
  }, 5_000);

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(tick);
    clearInterval(report);
    while (inFlight > 0) await new Promise((r) => setTimeout(r, 50));
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `[traffic] done: ${tally.total} requests in ${seconds.toFixed(1)} s (${(tally.total / seconds).toFixed(0)}/s): ${tally.line()}\n`,
    );
    if (tally.unexpected > 0)
      process.stdout.write(`[traffic] ${tally.unexpected} answers were not what the mix expected\n`);
    process.exit(tally.unexpected > 0 || tally.skipped > 0 ? 1 : 0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  if (o.durationS > 0) setTimeout(() => void stop(), o.durationS * 1000);
}

try {
  main();
} catch (error) {
  process.stderr.write(`[traffic] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

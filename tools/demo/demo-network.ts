/**
 * `npm run demo`: a working network of all five administrations on this machine.
 * Starts the managed Kafka broker (unless KAFKA_BROKERS is given), creates keys, a trust store and
 * demo credentials on first run, builds the node once, starts one node per party (PGlite data in
 * .puente/demo/data), waits until each is ready, and prints URLs and tokens. Ctrl-C stops it all.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { provisionDemoCredentials, type DemoCredentials } from './demo-credentials';
import { ensureKeys } from '../keys/generate-keys';

const ROOT = resolve(__dirname, '../..');
const DEMO = join(ROOT, '.puente/demo');
const PARTIES = ['us-cbp', 'us-ice', 'sv-dga', 'sv-dgme', 'mx-anam'] as const;
const BASE_PORT = Number(process.env.PUENTE_DEMO_BASE_PORT ?? 7101);

const children: ChildProcess[] = [];
let startedBroker = false;

function log(message: string): void {
  process.stdout.write(`[demo] ${message}\n`);
}

function run(command: string, args: string[], what: string): string {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${result.stdout}`);
  log(`${what}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.stdout;
}

function startBroker(): string {
  if (process.env.KAFKA_BROKERS) {
    log(`using the Kafka broker at ${process.env.KAFKA_BROKERS}`);
    return process.env.KAFKA_BROKERS;
  }
  const out = run('bash', ['tools/kafka/kafka.sh', 'start'], 'starting the managed Kafka broker');
  const line = out
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('KAFKA_BROKERS='));
  if (!line) throw new Error(`the broker script did not report KAFKA_BROKERS:\n${out}`);
  startedBroker = true;
  return line.slice('KAFKA_BROKERS='.length);
}

async function waitReady(url: string, party: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${party} exited with code ${child.exitCode}; see .puente/demo/logs/${party}.log`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${party} was not ready after 90 s; see .puente/demo/logs/${party}.log`);
}

function startNode(party: string, port: number, brokers: string, keysDir: string): ChildProcess {
  mkdirSync(join(DEMO, 'logs'), { recursive: true });
  const out = createWriteStream(join(DEMO, 'logs', `${party}.log`), { flags: 'a' });
  const child = spawn(process.execPath, ['dist/apps/exchange-node/main.js'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PUENTE_PARTY: party,
      PORT: String(port),
      KAFKA_BROKERS: brokers,
      PUENTE_DATA_DIR: join(DEMO, 'data', party),
      PUENTE_KEYS_DIR: keysDir,
      PUENTE_API_CLIENTS_FILE: join(keysDir, `${party}.api-clients.json`),
      // CBP assesses the traveler risk queries it receives (ATS-G) against the demo watchlist.
      ...(party === 'us-cbp' ? { PUENTE_RISK_ASSESSOR: 'watchlist' } : {}),
    },
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  children.push(child);
  return child;
}

function printTable(credentials: DemoCredentials): void {
  log('network ready:\n');
  for (const [i, party] of PARTIES.entries()) {
    const url = `http://127.0.0.1:${BASE_PORT + i}`;
    const c = credentials[party];
    process.stdout.write(`  ${party.padEnd(8)} ${url}   docs ${url}/docs\n`);
    process.stdout.write(`           officer token: ${c?.officer}\n           ops token:     ${c?.ops}\n`);
  }
  const dga = `http://127.0.0.1:${BASE_PORT + 2}`;
  process.stdout.write(`
  Try it — sv-dga asks us-cbp for assistance under the CMAA:
    curl -s -X POST ${dga}/v1/messages -H "authorization: Bearer ${credentials['sv-dga']?.officer}" \\
      -H 'content-type: application/json' -d @config/demo/assistance-request.json

  sv-dgme sends a flight's travelers to us-cbp for risk assessment under ATS-G:
    curl -s -X POST http://127.0.0.1:${BASE_PORT + 3}/v1/messages -H "authorization: Bearer ${credentials['sv-dgme']?.officer}" \\
      -H 'content-type: application/json' -d @config/demo/traveler-risk-query.json

  Logs: .puente/demo/logs/<party>.log   Stop: Ctrl-C\n\n`);
}

async function stopAll(): Promise<void> {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : Promise.resolve())),
  );
  if (startedBroker) run('bash', ['tools/kafka/kafka.sh', 'stop'], 'stopping the managed Kafka broker');
}

async function main(): Promise<void> {
  const brokers = startBroker();
  const keysDir = join(DEMO, 'keys');
  await ensureKeys(keysDir, [...PARTIES]);
  const credentials = provisionDemoCredentials(keysDir, [...PARTIES]);
  run(
    process.execPath,
    [join(ROOT, 'node_modules/@nestjs/cli/bin/nest.js'), 'build', 'exchange-node'],
    'building the exchange node',
  );
  const started = PARTIES.map((party, i) => ({
    party,
    url: `http://127.0.0.1:${BASE_PORT + i}`,
    child: startNode(party, BASE_PORT + i, brokers, keysDir),
  }));
  await Promise.all(started.map((s) => waitReady(s.url, s.party, s.child)));
  printTable(credentials);
  const shutdown = () => {
    log('stopping…');
    stopAll().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch(async (error: unknown) => {
  process.stderr.write(`[demo] ${error instanceof Error ? error.message : String(error)}\n`);
  await stopAll().catch(() => undefined);
  process.exit(1);
});

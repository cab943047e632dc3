/**
 * `npm run demo`: a working network of all five administrations on this machine.
 * Creates keys, a trust store, broker logins and demo API tokens on first run, starts the managed
 * Kafka broker secured with them (unless KAFKA_BROKERS is given), provisions topics and ACLs from the
 * agreements, starts the managed PostgreSQL server with a database per party (or, without the
 * system's PostgreSQL binaries, PGlite data in .puente/demo/data), builds the node and the ops
 * monitor once, starts one node per party and the ops monitor watching them all, waits until each is
 * ready, and prints URLs, tokens and each node's store. Ctrl-C stops it all. `npm run traffic` keeps
 * it busy. `npm run demo -- --keys-only` stops after the keys, broker logins and tokens: what
 * docker-compose.yml mounts into its broker and nodes (it needs no broker to make them).
 * `npm run demo -- --replicas 2` runs each node as two replicas (processes on one database and one
 * set of keys, HTTP ports 10 apart: us-cbp on 7101 and 7111); `--replicas-of us-cbp` limits that to
 * the parties named. Replicas need the PostgreSQL store.
 */
import { buildConsole, CONSOLE_OUT } from '../console/console.bundle';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { openKafkaSecurity, provisionNetwork, CLUSTER_SIZED_PROVISIONING } from '@app/messaging';
import { provisionDemoCredentials, type DemoCredentials } from './demo-credentials';
import { ensureKeys, ensureMonitorCredentials } from '../keys/generate-keys';

const ROOT = resolve(__dirname, '../..');
const DEMO = join(ROOT, '.puente/demo');
const PARTIES = ['us-cbp', 'us-ice', 'sv-dga', 'sv-dgme', 'mx-anam'] as const;
const BASE_PORT = Number(process.env.PUENTE_DEMO_BASE_PORT ?? 7101);
const MONITOR_PORT = Number(process.env.PUENTE_DEMO_MONITOR_PORT ?? 7199);
const KAFKA_PORT = Number(process.env.PUENTE_DEMO_KAFKA_PORT ?? 19092);
const POSTGRES_PORT = Number(process.env.PUENTE_DEMO_POSTGRES_PORT ?? 19432);

/** `--replicas N` (processes per node, default 1) and `--replicas-of a,b` (which parties; default all). */
function replicaCounts(argv: readonly string[]): Map<string, number> {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i === -1 ? undefined : argv[i + 1];
  };
  const n = Number(value('--replicas') ?? 1);
  if (!Number.isInteger(n) || n < 1 || n > 9)
    throw new Error('--replicas must be a whole number from 1 to 9');
  const of = value('--replicas-of')?.split(',') ?? [...PARTIES];
  const unknown = of.filter((p) => !(PARTIES as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`--replicas-of names no such party: ${unknown.join(', ')}`);
  return new Map(PARTIES.map((p) => [p, of.includes(p) ? n : 1]));
}

/** Filled from the command line when main starts (a bad value stops the demo with its message). */
let REPLICAS = new Map<string, number>();
/** Replica r (from 0) of the i-th party listens on BASE_PORT + i + 10 r. */
const portOf = (i: number, r: number) => BASE_PORT + i + 10 * r;

const children: ChildProcess[] = [];
const names = new Map<ChildProcess, string>();
let startedBroker = false;
let startedPostgres = false;

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

/** A `NAME=value` line of a tool's report. */
function reported(out: string, name: string): string | undefined {
  return out
    .trim()
    .split('\n')
    .find((l) => l.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}

/** Where each node keeps its data: the node's settings for it, and a line saying so. */
interface Store {
  readonly kind: 'postgres' | 'pglite';
  env(party: string): Record<string, string>;
  describe(party: string): string;
}

const database = (party: string) => `puente_${party.replace('-', '_')}`;

/**
 * The managed PostgreSQL server (tools/postgres/postgres.sh, the system's binaries) with a database
 * per party: the light default, its work off the nodes' event loops. PGlite inside each node where the
 * binaries are missing, or with PUENTE_DEMO_STORE=pglite (heavier: see docs/operations.md).
 */
function startStore(): Store {
  const wanted = process.env.PUENTE_DEMO_STORE ?? 'auto';
  if (!['auto', 'postgres', 'pglite'].includes(wanted))
    throw new Error(`PUENTE_DEMO_STORE must be postgres or pglite, not "${wanted}"`);
  const available =
    wanted !== 'pglite' &&
    spawnSync('bash', ['tools/postgres/postgres.sh', 'available'], { cwd: ROOT, stdio: 'ignore' }).status ===
      0;
  if (wanted === 'postgres' && !available)
    throw new Error('PUENTE_DEMO_STORE=postgres, but this machine has no PostgreSQL server binaries');
  if (!available) {
    if (wanted === 'auto')
      log(
        'no PostgreSQL server binaries (Debian: apt-get install postgresql): the nodes use PGlite, heavier',
      );
    return {
      kind: 'pglite',
      env: (party) => ({ PUENTE_DATA_DIR: join(DEMO, 'data', party) }),
      describe: (party) => `PGlite inside the node, data in ${relative(ROOT, join(DEMO, 'data', party))}`,
    };
  }
  const out = run(
    'bash',
    [
      'tools/postgres/postgres.sh',
      'start',
      '--port',
      String(POSTGRES_PORT),
      '--databases',
      PARTIES.map(database).join(','),
    ],
    `starting the managed PostgreSQL server on 127.0.0.1:${POSTGRES_PORT}`,
  );
  startedPostgres = true;
  const url = reported(out, 'POSTGRES_URL');
  const passwordFile = reported(out, 'POSTGRES_PASSWORD_FILE');
  const dataDir = reported(out, 'POSTGRES_DATA_DIR') ?? '?';
  if (!url || !passwordFile) throw new Error(`the PostgreSQL script did not report its URL:\n${out}`);
  const password = readFileSync(passwordFile, 'utf8').trim();
  return {
    kind: 'postgres',
    env: (party) => {
      const u = new URL(url);
      u.password = password;
      u.pathname = `/${database(party)}`;
      return { DATABASE_URL: u.toString() };
    },
    describe: (party) =>
      `PostgreSQL, database ${database(party)} on 127.0.0.1:${POSTGRES_PORT}, data in ${relative(ROOT, dataDir)}`,
  };
}

/** Where the brokers are and how to reach them: the CA to trust and the admin login (secured broker). */
interface Broker {
  readonly brokers: string;
  readonly caFile?: string;
  readonly adminCredentials?: string;
}

/**
 * The managed broker, secured: SASL_SSL with a SCRAM user for every party and the ops monitor (their
 * credentials are in the keys directory), ACLs enforced. With KAFKA_BROKERS, that broker instead
 * (KAFKA_CA_FILE and KAFKA_ADMIN_CREDENTIALS, or KAFKA_SECURITY=plaintext for an unsecured one).
 */
function startBroker(keysDir: string): Broker {
  if (process.env.KAFKA_BROKERS) {
    log(`using the Kafka broker at ${process.env.KAFKA_BROKERS}`);
    return {
      brokers: process.env.KAFKA_BROKERS,
      caFile: process.env.KAFKA_CA_FILE,
      adminCredentials: process.env.KAFKA_ADMIN_CREDENTIALS,
    };
  }
  const out = run(
    'bash',
    ['tools/kafka/kafka.sh', 'start', '--port', String(KAFKA_PORT), '--users', keysDir],
    'starting the managed Kafka broker (SASL_SSL, ACLs)',
  );
  const value = (name: string) => reported(out, name);
  const brokers = value('KAFKA_BROKERS');
  if (!brokers) throw new Error(`the broker script did not report KAFKA_BROKERS:\n${out}`);
  startedBroker = true;
  return { brokers, caFile: value('KAFKA_CA_FILE'), adminCredentials: value('KAFKA_ADMIN_CREDENTIALS') };
}

/** Topics and ACLs from config/agreements.yaml, as `npm run network:provision` makes them. */
async function provision(broker: Broker): Promise<void> {
  const plaintext = process.env.KAFKA_SECURITY === 'plaintext';
  const started = Date.now();
  const report = await provisionNetwork({
    brokers: broker.brokers.split(','),
    security: plaintext
      ? {}
      : openKafkaSecurity({
          kind: 'sasl_ssl',
          caFile: broker.caFile,
          credentialsFile: broker.adminCredentials ?? `.puente/kafka/${KAFKA_PORT}/admin.kafka.json`,
        }),
    namespace: 'puente',
    partiesFile: join(ROOT, 'config/parties.yaml'),
    agreementsFile: join(ROOT, 'config/agreements.yaml'),
    ...CLUSTER_SIZED_PROVISIONING,
    at: new Date(),
    acls: !plaintext,
  });
  log(
    `provisioning topics and ACLs from the agreements: ${report.lines.at(-1) ?? ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}

/** What every node and the monitor needs to reach the broker (their logins are in the keys directory). */
function brokerEnv(broker: Broker): Record<string, string> {
  return {
    KAFKA_BROKERS: broker.brokers,
    ...(broker.caFile ? { KAFKA_CA_FILE: broker.caFile } : {}),
  };
}

async function waitReady(url: string, name: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with code ${child.exitCode}; see .puente/demo/logs/${name}.log`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${name} was not ready after 90 s; see .puente/demo/logs/${name}.log`);
}

/** Starts a built app with its output appended to .puente/demo/logs/<name>.log. */
function startApp(name: string, app: string, env: Record<string, string>): ChildProcess {
  // The store is the demo's choice (startStore), never a DATABASE_URL of the caller's shell.
  const inherited: Record<string, string | undefined> = { ...process.env };
  delete inherited.DATABASE_URL;
  delete inherited.PUENTE_DATA_DIR;
  mkdirSync(join(DEMO, 'logs'), { recursive: true });
  const out = createWriteStream(join(DEMO, 'logs', `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [`dist/apps/${app}/main.js`], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...inherited, ...env },
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  children.push(child);
  names.set(child, name);
  return child;
}

function startNode(
  party: string,
  replica: number,
  port: number,
  broker: Broker,
  store: Store,
  keysDir: string,
): ChildProcess {
  return startApp(replica === 0 ? party : `${party}.${replica + 1}`, 'exchange-node', {
    PUENTE_PARTY: party,
    PORT: String(port),
    ...brokerEnv(broker),
    ...store.env(party),
    PUENTE_KEYS_DIR: keysDir,
    PUENTE_API_CLIENTS_FILE: join(keysDir, `${party}.api-clients.json`),
    // CBP assesses the traveler risk queries it receives (ATS-G) against the demo watchlist.
    ...(party === 'us-cbp' ? { PUENTE_RISK_ASSESSOR: 'watchlist' } : {}),
    // DGA's illustrative AEO programme, synced to CBP at start-up and daily (mra-us-sv-aeo).
    ...(party === 'sv-dga' ? { PUENTE_AEO_OPERATORS_FILE: 'config/aeo-programme.demo.json' } : {}),
  });
}

function startMonitor(
  broker: Broker,
  keysDir: string,
  nodes: { party: string; url: string }[],
): ChildProcess {
  return startApp('ops-monitor', 'ops-monitor', {
    PORT: String(MONITOR_PORT),
    ...brokerEnv(broker),
    KAFKA_CREDENTIALS_FILE: join(keysDir, 'ops-monitor.kafka.json'),
    PUENTE_MONITOR_NODES: nodes.map((n) => `${n.party}=${n.url}`).join(','),
    PUENTE_MONITOR_CLIENTS_FILE: join(keysDir, 'ops-monitor.api-clients.json'),
  });
}

function printTable(credentials: DemoCredentials, store: Store): void {
  log('network ready:\n');
  for (const [i, party] of PARTIES.entries()) {
    const url = `http://127.0.0.1:${BASE_PORT + i}`;
    const c = credentials[party];
    process.stdout.write(`  ${party.padEnd(8)} ${url}   docs ${url}/docs\n`);
    const more = Array.from({ length: (REPLICAS.get(party) ?? 1) - 1 }, (_, r) => portOf(i, r + 1));
    if (more.length > 0)
      process.stdout.write(
        `           replicas:      ${more.map((p) => `http://127.0.0.1:${p}`).join(' ')} (same data, same tokens)\n`,
      );
    process.stdout.write(`           store:         ${store.describe(party)}\n`);
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

  Ops monitor (live flow map, refusals, latency, message trail), signed in with us-cbp's ops token:
    http://127.0.0.1:${MONITOR_PORT}/#token=${credentials['us-cbp']?.ops}
    (any party's ops token above works; the token in the link's fragment is never sent to the server)
  Keep the network busy (in another terminal):  npm run traffic      (npm run traffic -- --rate 200)

  Logs: .puente/demo/logs/<party>.log, ops-monitor.log   Stop: Ctrl-C\n\n`);
}

/** SIGTERM to every process; one still running after 30 s is killed (SIGKILL) and named. */
async function stopAll(): Promise<void> {
  const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
  await Promise.all(
    children.filter(running).map(async (child) => {
      const exited = new Promise((r) => child.once('exit', r));
      const started = Date.now();
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        log(`${names.get(child) ?? 'a process'} (pid ${child.pid}) did not stop within 30 s: killing it`);
        child.kill('SIGKILL');
      }, 30_000);
      await exited;
      clearTimeout(timer);
      log(`${names.get(child) ?? 'a process'} stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }),
  );
  if (startedBroker)
    run(
      'bash',
      ['tools/kafka/kafka.sh', 'stop', '--port', String(KAFKA_PORT)],
      'stopping the managed Kafka broker',
    );
  if (startedPostgres)
    run(
      'bash',
      ['tools/postgres/postgres.sh', 'stop', '--port', String(POSTGRES_PORT)],
      'stopping the managed PostgreSQL server',
    );
}

async function main(): Promise<void> {
  REPLICAS = replicaCounts(process.argv);
  const keysDir = join(DEMO, 'keys');
  await ensureKeys(keysDir, [...PARTIES]);
  ensureMonitorCredentials(keysDir);
  const credentials = provisionDemoCredentials(keysDir, [...PARTIES]);
  if (process.argv.includes('--keys-only')) {
    log(`keys, broker logins and demo tokens are in ${keysDir} (tokens: credentials.json)`);
    return;
  }
  const broker = startBroker(keysDir);
  await provision(broker);
  const store = startStore();
  if (store.kind === 'pglite' && [...REPLICAS.values()].some((n) => n > 1))
    throw new Error(
      '--replicas needs the PostgreSQL store: PGlite serves one process (PGLITE_SINGLE_PROCESS); install postgresql or drop --replicas',
    );
  for (const app of ['exchange-node', 'ops-monitor'])
    run(
      process.execPath,
      [join(ROOT, 'node_modules/@nestjs/cli/bin/nest.js'), 'build', app],
      `building ${app}`,
    );
  // The officer console's bundle (npm run console:build): each node serves it at /console.
  await buildConsole();
  log(`officer console built into ${CONSOLE_OUT}`);
  const started = PARTIES.flatMap((party, i) =>
    Array.from({ length: REPLICAS.get(party) ?? 1 }, (_, r) => ({
      party,
      replica: r,
      url: `http://127.0.0.1:${portOf(i, r)}`,
      child: startNode(party, r, portOf(i, r), broker, store, keysDir),
    })),
  );
  await Promise.all(
    started.map((s) => waitReady(s.url, s.replica === 0 ? s.party : `${s.party}.${s.replica + 1}`, s.child)),
  );
  // The monitor reads each node's metrics from its first replica.
  const monitor = startMonitor(
    broker,
    keysDir,
    started.filter((s) => s.replica === 0),
  );
  await waitReady(`http://127.0.0.1:${MONITOR_PORT}`, 'ops-monitor', monitor);
  printTable(credentials, store);
  for (const s of started.filter((s) => s.replica === 0))
    log(`officer console of ${s.party}: ${s.url}/console (sign in with its officer token)`);
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

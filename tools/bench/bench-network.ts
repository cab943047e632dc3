import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import type { PartyId } from '@app/contracts';
import { freePort, type KafkaAccess, kafkaEnvFor, provisionKeys, provisionTestNetwork } from '@app/testing';

const ROOT = resolve(__dirname, '../..');
const BUILT = join(ROOT, 'dist/apps/exchange-node/main.js');

export interface BenchNetworkOptions {
  readonly kafka: KafkaAccess;
  readonly parties: readonly PartyId[];
  /** Scratch folder for keys, API clients, PGlite data, logs and CPU profiles. */
  readonly dir: string;
  /** Topic namespace of this network: a fresh one per network keeps runs apart on one broker. */
  readonly namespace: string;
  /** PostgreSQL admin URL (a database per node is created) or PGlite in `dir`. */
  readonly postgresAdminUrl?: string;
  /** The webpack bundle (`dist/`, as deployed) or the TypeScript sources under ts-node. */
  readonly entry: 'dist' | 'source';
  /** Extra environment for a party's node. */
  readonly envFor?: (party: PartyId) => Record<string, string> | undefined;
  /** Write a V8 CPU profile per node into `<dir>/profiles` (node --cpu-prof). */
  readonly cpuProfile?: boolean;
  /**
   * Processes per party (default 1): replicas share the party's database, keys and API clients, each
   * on its own HTTP port. More than one needs PostgreSQL (PGlite serves one process).
   */
  readonly replicas?: Readonly<Partial<Record<PartyId, number>>>;
}

export interface BenchNode {
  readonly party: PartyId;
  readonly url: string;
  readonly token: string;
  /** The first replica's process (the one `url` reaches). */
  readonly pid: number;
  /** Every replica's process, the first one first. */
  readonly pids: readonly number[];
}

/**
 * Exchange nodes as separate operating-system processes, as deployed, so that each one's CPU time
 * and memory can be read from the kernel. Logs go to `<dir>/logs/<party>.log`.
 */
export class BenchNetwork {
  private readonly children: ChildProcess[] = [];
  readonly nodes = new Map<PartyId, BenchNode>();

  private constructor(private readonly options: BenchNetworkOptions) {}

  static async start(options: BenchNetworkOptions): Promise<BenchNetwork> {
    if (options.entry === 'dist' && !existsSync(BUILT))
      throw new Error(`${BUILT} is missing: build it first (npm run build)`);
    if (!options.postgresAdminUrl && Object.values(options.replicas ?? {}).some((n) => (n ?? 1) > 1))
      throw new Error('replicas need PostgreSQL: PGlite serves one process');
    const network = new BenchNetwork(options);
    mkdirSync(join(options.dir, 'logs'), { recursive: true });
    await provisionKeys(join(options.dir, 'keys'), options.parties);
    try {
      await provisionTestNetwork(options.kafka, {
        namespace: options.namespace,
        agreementsFile: join(ROOT, 'config/agreements.yaml'),
        repoRoot: ROOT,
      });
      await Promise.all(options.parties.map((party) => network.startNode(party)));
    } catch (error) {
      await network.stop();
      throw error;
    }
    return network;
  }

  node(party: PartyId): BenchNode {
    const node = this.nodes.get(party);
    if (!node) throw new Error(`${party} is not in this bench network`);
    return node;
  }

  private async startNode(party: PartyId): Promise<void> {
    const { dir } = this.options;
    const token = randomBytes(24).toString('base64url');
    const clientsFile = join(dir, `${party}.api-clients.json`);
    const tokenSha256 = createHash('sha256').update(token).digest('hex');
    writeFileSync(
      clientsFile,
      JSON.stringify({
        clients: [
          { id: `${party}-bench`, agency: party, roles: ['officer', 'passenger-analyst'], tokenSha256 },
        ],
      }),
    );
    const database = this.options.postgresAdminUrl
      ? {
          DATABASE_URL: await createDatabase(
            this.options.postgresAdminUrl,
            `${this.options.namespace}_${party}`,
          ),
        }
      : { PUENTE_DATA_DIR: join(dir, 'data', party) };
    const env = {
      ...process.env,
      // Node's own flags for the nodes, e.g. a heap cap (docs/operations.md, Memory); none by default.
      NODE_OPTIONS: process.env.PUENTE_BENCH_NODE_OPTIONS ?? '',
      PUENTE_PARTY: party,
      HOST: '127.0.0.1',
      ...kafkaEnvFor(this.options.kafka, party),
      PUENTE_TOPIC_NAMESPACE: this.options.namespace,
      PUENTE_KEYS_DIR: join(dir, 'keys'),
      PUENTE_API_CLIENTS_FILE: clientsFile,
      PUENTE_LOG_JSON: 'true',
      // The driver is one client sending as fast as the node takes it: no request budget.
      PUENTE_RATE_LIMIT_PER_SECOND: '0',
      ...database,
      ...this.options.envFor?.(party),
    };
    // One after the other: the first replica migrates the database before the next one starts.
    const started: { url: string; pid: number }[] = [];
    for (let r = 0; r < (this.options.replicas?.[party] ?? 1); r++)
      started.push(await this.startProcess(r === 0 ? party : `${party}.${r + 1}`, env));
    const [first] = started;
    if (!first) throw new Error(`${party}: no replica started`);
    this.nodes.set(party, { party, url: first.url, token, pid: first.pid, pids: started.map((s) => s.pid) });
  }

  /** One process of a node; `name` names its log and CPU profile. */
  private async startProcess(name: string, env: NodeJS.ProcessEnv): Promise<{ url: string; pid: number }> {
    const { dir } = this.options;
    const port = await freePort();
    const args =
      this.options.entry === 'dist'
        ? [BUILT]
        : [join(ROOT, 'tools/run-ts.js'), join(ROOT, 'apps/exchange-node/src/main.ts')];
    const profile = this.options.cpuProfile
      ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'profiles')}`, `--cpu-prof-name=${name}.cpuprofile`]
      : [];
    // The node writes its log straight into the file: the driver, which shares the CPU with what it
    // measures, does not relay it.
    const log = join(dir, 'logs', `${name}.log`);
    const logFd = openSync(log, 'a');
    const child = spawn(process.execPath, [...profile, ...args], {
      cwd: ROOT,
      stdio: ['ignore', logFd, logFd],
      env: { ...env, PORT: String(port) },
    });
    closeSync(logFd);
    this.children.push(child);
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}; see ${log}`);
      const ok = await fetch(`${url}/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`${name} was not ready after 120 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    return { url, pid: child.pid ?? 0 };
  }

  /** SIGTERM to every node (a graceful stop also writes the CPU profiles), SIGKILL after 30 s. */
  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const db = name.replace(/[^a-z0-9_]/g, '_');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database "${db}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${db}`;
  return url.toString();
}

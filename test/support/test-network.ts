import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { type Clock, loadNodeConfig, systemClock } from '@app/config';
import { dlqTopic, inboxTopic, type PartyId } from '@app/contracts';
import { PostgresDb, type Db } from '@app/persistence';
import {
  freePort,
  type KafkaAccess,
  kafkaAccessFromEnv,
  kafkaEnvFor,
  provisionKeys,
  provisionTestNetwork,
} from '@app/testing';
import { startNode, type RunningNode } from '../../apps/exchange-node/src/bootstrap';
import { KafkaTap } from './kafka-tap';
import { CapturingLogger } from './capturing-logger';
import { ProcessNode } from './process-node';
import { TestApi } from './test-api';

export const REPO_ROOT = resolve(__dirname, '../..');
export const ALL_PARTIES: readonly PartyId[] = ['us-cbp', 'us-ice', 'sv-dga', 'sv-dgme', 'mx-anam'];

export interface TestNetworkOptions {
  /** The nodes to start; keys and trust-store entries exist for all five parties regardless. */
  readonly parties: readonly PartyId[];
  /** Rewrites config/agreements.yaml for this network (e.g. an in-force date in the future). */
  readonly agreements?: (yaml: string) => string;
  readonly clock?: Clock;
  readonly env?: Readonly<Record<string, string>>;
  /** Extra environment for one party's node, e.g. the risk assessor on us-cbp. */
  readonly envFor?: (party: PartyId, dir: string) => Readonly<Record<string, string>> | undefined;
  /** More API clients for a party's clients file, e.g. one bound to a scope: `{ id, roles, token, scope? }`. */
  readonly apiClients?: (party: PartyId) => readonly ExtraApiClient[];
  /** Runs once the network's directory exists, before any node starts (write files the nodes read). */
  readonly beforeNodes?: (dir: string) => void;
  /** A broker of the test's own (fault tests restart it); defaults to the shared one. */
  readonly kafka?: KafkaAccess;
  /** A PostgreSQL server of the test's own (fault tests restart it); defaults to the shared one. */
  readonly postgresAdminUrl?: string;
  /** Parties run as separate processes (killable with SIGKILL) instead of inside the test process. */
  readonly asProcesses?: readonly PartyId[];
  /**
   * Replicas per party started `asProcesses` (default 1): that many processes of the node on its one
   * database and keys, each on its own HTTP port.
   */
  readonly replicas?: Readonly<Partial<Record<PartyId, number>>>;
  /** Processes run the built node (`nest build exchange-node` first), as the demo does. */
  readonly builtProcesses?: boolean;
}

/**
 * One bearer token per test client of a node: `officer` (officer and passenger-analyst, so it reads
 * passenger data as the tests before scopes did), `clerk` (officer only), `ops`, `admin`, and two DPOs.
 */
export interface ExtraApiClient {
  readonly id: string;
  readonly roles: readonly string[];
  readonly token: string;
  readonly scope?: { readonly agreements?: readonly string[]; readonly families?: readonly string[] };
}

export interface TestTokens {
  readonly officer: string;
  readonly clerk: string;
  readonly ops: string;
  readonly admin: string;
  readonly dpo: string;
  readonly dpo2: string;
}

export interface TestNode {
  readonly party: PartyId;
  readonly url: string;
  /** Authenticated as this administration's officer. */
  readonly api: TestApi;
  readonly tokens: TestTokens;
  /** This node's own database (for checks a test makes behind the API). */
  readonly db: Db;
  readonly groupId: string;
  /** The settings the node was started with (tools such as backup and audit:verify run with them). */
  readonly env: Readonly<Record<string, string>>;
  /** In-process nodes: the running Nest app. */
  readonly running?: RunningNode;
  /** Nodes started `asProcesses`: the operating-system process, to kill and start again. */
  readonly process?: ProcessNode;
  /** Nodes started `asProcesses`: every replica's process (`process` is the first). */
  readonly replicas?: readonly ProcessNode[];
}

/**
 * Two or more administrations over the real broker (KAFKA_BROKERS) and real PostgreSQL server
 * (PUENTE_TEST_POSTGRES_URL), both started by the integration global setup. Each network has its own
 * topic namespace, databases, keys and tokens, so test files never see each other's records.
 */
export class TestNetwork {
  readonly nodes = new Map<PartyId, TestNode>();
  readonly tap: KafkaTap;
  /** Every line any node of this network logged, at every level (for the personal-data scan). */
  readonly logs = new CapturingLogger();

  private constructor(
    readonly namespace: string,
    readonly dir: string,
    readonly kafka: KafkaAccess,
    private readonly adminUrl: string,
  ) {
    // The tap is the broker's admin: it plays attackers and broken peers that got onto the broker.
    this.tap = new KafkaTap(kafka, 'admin');
  }

  get brokers(): readonly string[] {
    return this.kafka.brokers;
  }

  /** The agreements file this network's nodes read (a copy, possibly changed by the test). */
  get agreementsFile(): string {
    return join(this.dir, 'agreements.yaml');
  }

  /** Starts more nodes in this network, later than the others (e.g. after probing the broker without them). */
  async startParties(parties: readonly PartyId[], options: Partial<TestNetworkOptions> = {}): Promise<void> {
    for (const party of parties)
      await this.startParty(party, this.agreementsFile, { parties: [], ...options });
  }

  /** Replaces this network's agreements file (nodes read it at start; provisioning at each run). */
  writeAgreements(yaml: string): void {
    writeFileSync(this.agreementsFile, yaml);
  }

  /** Environment for another process of this network (e.g. the ops monitor) reaching the broker as `principal`. */
  kafkaEnv(principal: string): Record<string, string> {
    return { ...kafkaEnvFor(this.kafka, principal), PUENTE_TOPIC_NAMESPACE: this.namespace };
  }

  /** Creates this network's topics and converges its ACLs with its agreements file. */
  provision(at?: Date): Promise<{ readonly lines: readonly string[] }> {
    return provisionTestNetwork(this.kafka, {
      namespace: this.namespace,
      agreementsFile: this.agreementsFile,
      repoRoot: REPO_ROOT,
      at,
    });
  }

  static async start(options: TestNetworkOptions): Promise<TestNetwork> {
    const kafka = options.kafka ?? kafkaAccessFromEnv();
    const adminUrl = options.postgresAdminUrl ?? process.env.PUENTE_TEST_POSTGRES_URL;
    if (kafka.brokers.length === 0 || !adminUrl)
      throw new Error('KAFKA_BROKERS and PUENTE_TEST_POSTGRES_URL must be set (integration global setup)');
    const namespace = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const network = new TestNetwork(
      namespace,
      mkdtempSync(join(tmpdir(), `puente-${namespace}-`)),
      kafka,
      adminUrl,
    );
    Logger.overrideLogger(network.logs);
    try {
      await provisionKeys(join(network.dir, 'keys'), ALL_PARTIES);
      const agreementsFile = network.agreementsFile;
      const yaml = readFileSync(join(REPO_ROOT, 'config/agreements.yaml'), 'utf8');
      writeFileSync(agreementsFile, options.agreements ? options.agreements(yaml) : yaml);
      await network.provision(options.clock?.now());
      options.beforeNodes?.(network.dir);
      for (const party of options.parties) await network.startParty(party, agreementsFile, options);
      return network;
    } catch (error) {
      await network.stop();
      throw error;
    }
  }

  node(party: PartyId): TestNode {
    const node = this.nodes.get(party);
    if (!node) throw new Error(`node ${party} is not running in this network`);
    return node;
  }

  inboxTopic(party: PartyId): string {
    return inboxTopic(party, this.namespace);
  }

  dlqTopic(party: PartyId): string {
    return dlqTopic(party, this.namespace);
  }

  /** The in-process node of `party` (fails for a node started as a process). */
  running(party: PartyId): RunningNode {
    const running = this.node(party).running;
    if (!running) throw new Error(`${party} runs as a process in this network`);
    return running;
  }

  async stop(): Promise<void> {
    for (const node of [...this.nodes.values()].reverse()) {
      await bounded(`stopping ${node.party}`, node.running?.close());
      for (const [i, replica] of (node.replicas ?? []).entries())
        await bounded(`stopping ${node.party}'s process ${i + 1}`, replica.stop());
      if (node.process) await bounded(`closing ${node.party}'s database pool`, node.db.close());
    }
    this.nodes.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async startParty(
    party: PartyId,
    agreementsFile: string,
    options: TestNetworkOptions,
  ): Promise<void> {
    const token = () => randomBytes(24).toString('base64url');
    const tokens: TestTokens = {
      officer: token(),
      clerk: token(),
      ops: token(),
      admin: token(),
      dpo: token(),
      dpo2: token(),
    };
    const clientsFile = join(this.dir, `${party}.api-clients.json`);
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    writeFileSync(
      clientsFile,
      JSON.stringify({
        clients: [
          {
            id: `${party}-officer`,
            agency: party,
            roles: ['officer', 'passenger-analyst'],
            tokenSha256: sha(tokens.officer),
          },
          { id: `${party}-clerk`, agency: party, roles: ['officer'], tokenSha256: sha(tokens.clerk) },
          { id: `${party}-dpo`, agency: party, roles: ['dpo'], tokenSha256: sha(tokens.dpo) },
          { id: `${party}-dpo2`, agency: party, roles: ['dpo'], tokenSha256: sha(tokens.dpo2) },
          ...(options.apiClients?.(party) ?? []).map(({ token, ...c }) => ({
            ...c,
            agency: party,
            tokenSha256: sha(token),
          })),
          { id: `${party}-ops`, agency: party, roles: ['ops'], tokenSha256: sha(tokens.ops) },
          { id: `${party}-admin`, agency: party, roles: ['admin'], tokenSha256: sha(tokens.admin) },
        ],
      }),
    );
    const env: Record<string, string> = {
      PUENTE_PARTY: party,
      PORT: '0',
      ...this.kafkaEnv(party),
      DATABASE_URL: await this.createDatabase(`${this.namespace}_${party.replace('-', '_')}`),
      PUENTE_KEYS_DIR: join(this.dir, 'keys'),
      PUENTE_API_CLIENTS_FILE: clientsFile,
      PUENTE_AGREEMENTS_FILE: agreementsFile,
      PUENTE_RELAY_POLL_MS: '50',
      // Test drivers send thousands of requests from one client at once; the REST edge tests turn
      // the request budget on themselves.
      PUENTE_RATE_LIMIT_PER_SECOND: '0',
      ...options.env,
      ...options.envFor?.(party, this.dir),
    };
    const config = loadNodeConfig(env, REPO_ROOT);
    if (options.asProcesses?.includes(party)) {
      const replicas: ProcessNode[] = [];
      for (let i = 0; i < (options.replicas?.[party] ?? 1); i++) {
        const port = await freePort();
        const replica = new ProcessNode(
          REPO_ROOT,
          { ...env, PORT: String(port), PUENTE_LOG_JSON: 'true' },
          `http://127.0.0.1:${port}`,
          this.logs,
          options.builtProcesses,
        );
        replicas.push(replica);
        await replica.start();
      }
      const proc = replicas[0]!;
      const db = await PostgresDb.open(env.DATABASE_URL ?? '');
      this.nodes.set(party, {
        party,
        url: proc.url,
        api: new TestApi(proc.url, tokens.officer),
        tokens,
        db,
        groupId: config.kafka.groupId,
        env,
        process: proc,
        replicas,
      });
      return;
    }
    const running = await startNode(config, { clock: options.clock ?? systemClock, logger: this.logs });
    this.nodes.set(party, {
      party,
      url: running.url,
      api: new TestApi(running.url, tokens.officer),
      tokens,
      db: running.runtime.db,
      groupId: config.kafka.groupId,
      env,
      running,
    });
  }

  private async createDatabase(name: string): Promise<string> {
    const client = new Client({ connectionString: this.adminUrl });
    await client.connect();
    try {
      await client.query(`create database "${name}"`);
    } finally {
      await client.end();
    }
    const url = new URL(this.adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }
}

/** Teardown steps never hang a test run: each gets 30 s, and a step that overruns is reported. */
async function bounded(step: string, work: Promise<unknown> | undefined): Promise<void> {
  if (!work) return;
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const overran = new Promise<'overran'>((resolve) => {
    timer = setTimeout(() => resolve('overran'), 30_000);
  });
  const outcome = await Promise.race([
    work.then(
      () => 'done' as const,
      () => 'failed' as const,
    ),
    overran,
  ]);
  clearTimeout(timer);
  if (outcome !== 'done')
    process.stderr.write(`[test-network] ${step}: ${outcome} after ${Date.now() - started} ms\n`);
}

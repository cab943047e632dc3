import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

// Jest's global setup loads this file outside the module mapping: node built-ins only, no @app imports.
const run = promisify(execFile);
const SCRIPT = resolve(__dirname, '../../../tools/kafka/kafka.sh');

/** Every principal a test network may need: the five parties and the ops monitor. */
export const TEST_BROKER_PRINCIPALS = ['us-cbp', 'us-ice', 'sv-dga', 'sv-dgme', 'mx-anam', 'ops-monitor'];

/**
 * How tests reach a broker. `secured` is absent for an unsecured broker given by KAFKA_BROKERS alone;
 * the managed one is always secured: SASL_SSL, ACLs, a SCRAM user per party and the ops monitor
 * (`<usersDir>/<principal>.kafka.json`) and the provisioning admin.
 */
export interface KafkaAccess {
  readonly brokers: readonly string[];
  readonly secured?: {
    readonly caFile: string;
    readonly adminCredentialsFile: string;
    readonly usersDir: string;
  };
}

export interface ManagedKafka extends KafkaAccess {
  readonly brokers: string[];
  readonly port: number;
  stop(): Promise<void>;
  /** Stops and starts the same broker (every node of a cluster), keeping its data (for broker-restart fault tests). */
  restart(): Promise<void>;
}

/** A cluster of KRaft nodes (`kafka.sh start --brokers N`): node I is broker id I, at `brokers[I - 1]`. */
export interface ManagedKafkaCluster extends ManagedKafka {
  readonly nodeIds: readonly number[];
  /** SIGKILL to one node: a crash, no controlled shutdown, no handing over of its partitions. */
  kill(nodeId: number): Promise<void>;
  /** Starts one node again with its data; resolves once it serves and the cluster lists every node. */
  startNode(nodeId: number): Promise<void>;
}

async function kafkaSh(...args: string[]): Promise<string> {
  const { stdout } = await run('bash', [SCRIPT, ...args], { maxBuffer: 4 * 1024 * 1024 });
  return stdout;
}

function reported(out: string, name: string): string {
  const line = out
    .trim()
    .split('\n')
    .find((l) => l.startsWith(`${name}=`));
  if (!line) throw new Error(`the broker script reported no ${name}:\n${out}`);
  return line.slice(name.length + 1);
}

/**
 * Starts the project's managed Kafka broker (tools/kafka/kafka.sh) on a port of its own with fresh
 * data, secured as a real network's is, with test credentials for every principal, and hands back how
 * to reach, stop or restart it.
 */
export async function startManagedKafka(port = 29092): Promise<ManagedKafka> {
  return startManaged(port, 1);
}

/**
 * The same as a cluster of `brokers` nodes on this machine, node I on port `port + 2(I - 1)` (its
 * controller on the next port): `brokers` × 2 ports from `port` must be free.
 */
export async function startManagedKafkaCluster(port: number, brokers = 3): Promise<ManagedKafkaCluster> {
  return startManaged(port, brokers);
}

async function startManaged(port: number, brokers: number): Promise<ManagedKafkaCluster> {
  const at = ['--port', String(port)];
  await kafkaSh('reset', ...at);
  const usersDir = resolve(__dirname, `../../../.puente/kafka/test-users-${port}`);
  mkdirSync(usersDir, { recursive: true, mode: 0o700 });
  for (const principal of TEST_BROKER_PRINCIPALS) {
    const password = randomBytes(24).toString('base64url');
    writeFileSync(
      resolve(usersDir, `${principal}.kafka.json`),
      `${JSON.stringify({ username: principal, password })}\n`,
      { mode: 0o600 },
    );
  }
  const out = await kafkaSh('start', ...at, '--brokers', String(brokers), '--users', usersDir);
  const nodeIds = Array.from({ length: brokers }, (_, i) => i + 1);
  const node = (id: number): string[] => {
    if (!nodeIds.includes(id)) throw new Error(`the cluster on port ${port} has no node ${id}`);
    return [...at, '--node', String(id)];
  };
  return {
    brokers: reported(out, 'KAFKA_BROKERS').split(','),
    secured: {
      caFile: reported(out, 'KAFKA_CA_FILE'),
      adminCredentialsFile: reported(out, 'KAFKA_ADMIN_CREDENTIALS'),
      usersDir,
    },
    port,
    nodeIds,
    stop: async () => {
      await kafkaSh('reset', ...at);
    },
    restart: async () => {
      await kafkaSh('stop', ...at);
      await kafkaSh('start', ...at);
    },
    kill: async (id) => {
      await kafkaSh('kill', ...node(id));
    },
    startNode: async (id) => {
      await kafkaSh('start', ...node(id));
    },
  };
}

/** The environment a test run passes on to its test files (global setup → workers). */
export function kafkaAccessEnv(access: KafkaAccess): Record<string, string> {
  return {
    KAFKA_BROKERS: access.brokers.join(','),
    ...(access.secured
      ? {
          KAFKA_CA_FILE: access.secured.caFile,
          KAFKA_ADMIN_CREDENTIALS: access.secured.adminCredentialsFile,
          PUENTE_TEST_KAFKA_USERS: access.secured.usersDir,
        }
      : {}),
  };
}

/** The broker given to this test run (global setup's, or KAFKA_BROKERS and friends from outside). */
export function kafkaAccessFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaAccess {
  const brokers = (env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  const { KAFKA_CA_FILE: caFile, KAFKA_ADMIN_CREDENTIALS: adminCredentialsFile } = env;
  const usersDir = env.PUENTE_TEST_KAFKA_USERS;
  return caFile && adminCredentialsFile && usersDir
    ? { brokers, secured: { caFile, adminCredentialsFile, usersDir } }
    : { brokers };
}

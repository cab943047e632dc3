import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { exportJWK, generateKeyPair } from 'jose';
import { Client } from 'pg';
import { createKafka, ensureTopics, kafkajsSecurity } from '@app/messaging';
import { clientSecurityFor, type KafkaAccess } from '@app/testing';
import type { Percentiles } from '../exchange.scenario';
import type { ProcUsage, WatchedProcess } from '../proc-stats';
import type { DiyCommand, DiyPeerConfig, DiyReport } from './diy-peer.config';

const ROOT = resolve(__dirname, '../../..');
/** Where the two processes' bundles go: under the repository, so that they find its node_modules. */
const BUILT = join(ROOT, 'dist/bench-diy');

export interface DiyResult {
  readonly messages: number;
  /** Outstanding rows the sender settled with a verified receipt naming the message's digest. */
  readonly delivered: number;
  /** Rows in the receiver's table: every message stored once. */
  readonly stored: number;
  /** Records either side skipped because their signature did not verify: should be 0. */
  readonly refused: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Outstanding row written → settled, ms, PostgreSQL's clock. */
  readonly latencyMs: Percentiles;
  /** Size of a signed message on the wire, bytes. */
  readonly recordBytes: number;
}

export interface DiyRunOptions {
  readonly kafka: KafkaAccess;
  readonly postgresAdminUrl: string;
  /** Scratch folder: configuration (with keys, mode 0600) and logs. */
  readonly dir: string;
  readonly namespace: string;
  readonly messages: number;
  readonly payload: Readonly<Record<string, unknown>>;
  /**
   * Starts watching the measured run's processes (the DIY pair, plus the bench's broker, PostgreSQL
   * and driver); the function it returns stops watching and says what each spent.
   */
  readonly watch: (processes: readonly WatchedProcess[]) => () => ProcUsage[];
  readonly log: (line: string) => void;
}

const WARM_UP = 200;

/**
 * The hand-rolled peer on the bench's broker and PostgreSQL: its own two databases and two topics,
 * created here and removed afterwards, sender and receiver as two processes. An untimed warm-up,
 * then `messages` at full speed; every one must be settled and stored exactly once.
 */
export async function runDiyPeer(o: DiyRunOptions): Promise<{ result: DiyResult; processes: ProcUsage[] }> {
  mkdirSync(join(o.dir, 'logs'), { recursive: true });
  const admin = createKafka(
    { brokers: o.kafka.brokers, clientId: 'bench-diy-admin', security: clientSecurityFor(o.kafka, 'admin') },
    () => undefined,
  );
  const topics = { messages: `${o.namespace}.diy.messages`, receipts: `${o.namespace}.diy.receipts` };
  const databases = { sender: `${o.namespace}_diy_sender`, receiver: `${o.namespace}_diy_receiver` };
  const pg = new Client({ connectionString: o.postgresAdminUrl });
  await pg.connect();
  const children: ChildProcess[] = [];
  try {
    await buildDiy();
    // Three partitions, as the network's inbox topics are provisioned.
    await ensureTopics(admin, Object.values(topics), 3);
    for (const db of Object.values(databases)) await pg.query(`create database "${db}"`);
    const senderKeys = await keyPair();
    const receiverKeys = await keyPair();
    const base = {
      brokers: o.kafka.brokers,
      security: kafkajsSecurity(clientSecurityFor(o.kafka, 'admin')),
      topics,
      payload: o.payload,
    };
    const receiver = await start(o, 'receiver', children, {
      ...base,
      databaseUrl: urlOf(o.postgresAdminUrl, databases.receiver),
      ownKey: receiverKeys.private,
      peerKey: senderKeys.public,
    });
    const sender = await start(o, 'sender', children, {
      ...base,
      databaseUrl: urlOf(o.postgresAdminUrl, databases.sender),
      ownKey: senderKeys.private,
      peerKey: receiverKeys.public,
    });
    let refused = 0;
    for (const child of [sender, receiver])
      child.on('message', (r: DiyReport) => {
        if ('refused' in r) refused = Math.max(refused, r.refused);
      });

    await send(sender, WARM_UP);
    // The warm-up's rows go: the measured run's are then all there is to count.
    const sdb = await connect(urlOf(o.postgresAdminUrl, databases.sender));
    const rdb = await connect(urlOf(o.postgresAdminUrl, databases.receiver));
    try {
      await sdb.query('truncate outstanding');
      await rdb.query('truncate received');
      const stopWatching = o.watch([
        { name: 'diy sender', pid: sender.pid ?? 0 },
        { name: 'diy receiver', pid: receiver.pid ?? 0 },
      ]);
      const started = Date.now();
      const { recordBytes } = await send(sender, o.messages);
      const processes = stopWatching();
      const figures = await sdb.query<{
        delivered: string;
        last: number;
        latencies: number[];
      }>(
        `select count(*) filter (where settled_at is not null) as delivered,
                extract(epoch from max(settled_at)) * 1000 as last,
                percentile_disc(array[0.5, 0.95, 0.99, 1]) within group
                  (order by extract(epoch from settled_at - created_at) * 1000) as latencies
         from outstanding`,
      );
      const stored = await rdb.query<{ stored: string }>('select count(*) as stored from received');
      const row = figures.rows[0];
      const [p50 = 0, p95 = 0, p99 = 0, max = 0] = (row?.latencies ?? []).map(Number);
      const delivered = Number(row?.delivered ?? 0);
      const seconds = (Number(row?.last ?? started) - started) / 1000;
      return {
        processes,
        result: {
          messages: o.messages,
          delivered,
          stored: Number(stored.rows[0]?.stored ?? 0),
          refused,
          seconds: Math.round(seconds * 100) / 100,
          perSecond: Math.round(delivered / seconds),
          latencyMs: { p50, p95, p99, max },
          recordBytes,
        },
      };
    } finally {
      await Promise.allSettled([sdb.end(), rdb.end()]);
    }
  } catch (error) {
    o.log(`the DIY peer failed; its logs are in ${join(o.dir, 'logs')}`);
    throw error;
  } finally {
    await Promise.allSettled(children.map(stop));
    for (const db of Object.values(databases))
      await pg.query(`drop database if exists "${db}" with (force)`).catch(() => undefined);
    await pg.end();
    await deleteTopics(admin, Object.values(topics));
  }
}

async function keyPair() {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { public: await exportJWK(publicKey), private: await exportJWK(privateKey) };
}

/**
 * Each process as one JavaScript file, its libraries left to node_modules: the processes then load
 * kafkajs, jose and pg and no TypeScript compiler, as the nodes run from their webpack bundle, so
 * that their memory is theirs.
 */
async function buildDiy(): Promise<void> {
  await build({
    entryPoints: ['sender', 'receiver'].map((role) => join(__dirname, `diy-${role}.main.ts`)),
    outdir: BUILT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}

/** One DIY process, ready once its consumer has joined its group. */
async function start(
  o: DiyRunOptions,
  role: 'sender' | 'receiver',
  children: ChildProcess[],
  config: DiyPeerConfig,
): Promise<ChildProcess> {
  const file = join(o.dir, `diy-${role}.json`);
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  const logFd = openSync(join(o.dir, 'logs', `diy-${role}.log`), 'a');
  const child = spawn(process.execPath, [join(BUILT, `diy-${role}.main.js`), file], {
    cwd: ROOT,
    stdio: ['ignore', logFd, logFd, 'ipc'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  closeSync(logFd);
  children.push(child);
  await answer(child, (r) => 'ready' in r, 120_000, `the DIY ${role} did not start`);
  return child;
}

async function send(sender: ChildProcess, count: number): Promise<{ recordBytes: number }> {
  const done = answer(
    sender,
    (r) => 'done' in r,
    120_000 + count * 20,
    `the DIY run of ${count} did not settle`,
  );
  sender.send({ run: count } satisfies DiyCommand);
  const r = await done;
  return { recordBytes: 'done' in r ? r.done.recordBytes : 0 };
}

function answer(
  child: ChildProcess,
  wanted: (r: DiyReport) => boolean,
  timeoutMs: number,
  what: string,
): Promise<DiyReport> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => finish(new Error(`${what} within ${timeoutMs / 1000} s`)), timeoutMs);
    const onMessage = (r: DiyReport) => {
      if (wanted(r)) finish(undefined, r);
    };
    const onExit = (code: number | null) => finish(new Error(`${what}: it exited with code ${code}`));
    const finish = (error?: Error, r?: DiyReport) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error || !r) reject(error ?? new Error(what));
      else resolvePromise(r);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  if (child.connected) child.send({ stop: true } satisfies DiyCommand);
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function urlOf(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

async function deleteTopics(kafka: ReturnType<typeof createKafka>, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics });
  } catch {
    // Already gone, or never created: nothing of this run is left either way.
  } finally {
    await admin.disconnect();
  }
}

/**
 * `npm run bench [-- --messages 20000 --rate 500 --profile --cluster --replicas 2]`: the exchange's throughput and latency
 * beside its ceilings (kafkajs alone, jose and node:crypto alone), in one run. Builds the node,
 * starts a managed broker (or uses KAFKA_BROKERS) and PostgreSQL (or PGlite with
 * PUENTE_BENCH_STORE=pglite), prints the table and writes it as JSON and Markdown to bench/results/.
 * `--cluster` then runs the two full-speed runs again on a managed three-broker cluster (ports
 * `--cluster-port` to 5 above it), beside the single broker's figures. `--replicas 2` runs them
 * again with the receiving node as two processes on one database. Every run also measures the
 * hand-rolled DIY peer (tools/bench/diy/) on the same broker and PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  kafkaAccessFromEnv,
  startManagedKafka,
  startManagedKafkaCluster,
  startPostgres,
  type ManagedKafka,
  type ManagedPostgres,
} from '@app/testing';
import { type BenchCluster, runBench } from './bench';
import { markdownReport, textReport } from './report';

const ROOT = resolve(__dirname, '../..');

function log(line: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '20000' },
      rate: { type: 'string', default: '500' },
      scaling: { type: 'string', default: '5000' },
      'passenger-runs': { type: 'string', default: '5' },
      'crypto-count': { type: 'string', default: '5000' },
      'kafka-port': { type: 'string', default: '29192' },
      cluster: { type: 'boolean', default: false },
      'cluster-port': { type: 'string', default: '29292' },
      replicas: { type: 'string', default: '1' },
      out: { type: 'string', default: join(ROOT, 'bench/results') },
      profile: { type: 'boolean', default: false },
    },
  });
  const int = (name: string, raw: string) => {
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a whole number ≥ 1 (got "${raw}")`);
    return v;
  };
  const messages = int('messages', values.messages);
  const store = process.env.PUENTE_BENCH_STORE ?? 'postgres';
  if (store !== 'postgres' && store !== 'pglite')
    throw new Error('PUENTE_BENCH_STORE must be postgres or pglite');

  log('building the exchange node (webpack bundle, as deployed)');
  const build = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/@nestjs/cli/bin/nest.js'), 'build', 'exchange-node'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (build.status !== 0) throw new Error(`the build failed (exit ${build.status})`);

  let kafka: ManagedKafka | undefined;
  let postgres: ManagedPostgres | undefined;
  try {
    let access = kafkaAccessFromEnv();
    let brokerPid: number | undefined;
    if (access.brokers.length === 0) {
      const port = int('kafka-port', values['kafka-port']);
      log(`starting the managed Kafka broker on 127.0.0.1:${port} (SASL_SSL, ACLs)`);
      kafka = await startManagedKafka(port);
      access = kafka;
      brokerPid = Number(readFileSync(join(ROOT, `.puente/kafka/${port}/broker.pid`), 'utf8').trim());
    }
    if (store === 'postgres') {
      log('starting PostgreSQL');
      postgres = await startPostgres();
    }
    const report = await runBench({
      kafka: access,
      brokerPid,
      postgres: postgres ? { adminUrl: postgres.adminUrl, pid: postgres.pid() } : undefined,
      messages,
      ratePerSecond: int('rate', values.rate),
      scalingMessages: int('scaling', values.scaling),
      passengerRuns: int('passenger-runs', values['passenger-runs']),
      passengerSizes: [10, 100, 1000],
      cryptoCount: int('crypto-count', values['crypto-count']),
      entry: 'dist',
      cpuProfile: values.profile,
      replicas: int('replicas', values.replicas),
      log,
      // The cluster's runs come last: the managed single broker is stopped first, not left idling beside it.
      cluster: values.cluster
        ? async () => {
            await kafka?.stop();
            return startCluster(int('cluster-port', values['cluster-port']));
          }
        : undefined,
    });
    const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
    process.stdout.write(`\n${textReport(report)}\n\n`);
    mkdirSync(values.out, { recursive: true });
    const stamp = report.startedAt.replace(/[:.]/g, '-');
    writeFileSync(join(values.out, `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(values.out, `${stamp}.md`), markdownReport(report, command));
    log(`written: ${join(values.out, `${stamp}.json`)} and .md`);
  } finally {
    await postgres?.stop();
    await kafka?.stop();
  }
}

/** The managed three-broker cluster, with its brokers' process ids for the CPU and memory figures. */
async function startCluster(port: number): Promise<BenchCluster> {
  log(`three brokers on 127.0.0.1:${port}, ${port + 2}, ${port + 4}`);
  const cluster = await startManagedKafkaCluster(port, 3);
  const brokerPids = cluster.nodeIds.map((id) =>
    Number(readFileSync(join(ROOT, `.puente/kafka/${port}/node-${id}/broker.pid`), 'utf8').trim()),
  );
  return { kafka: cluster, brokerPids, stop: () => cluster.stop() };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartyId } from '@app/contracts';
import { BenchNetwork } from './bench-network';
import { measureCryptoCeiling, type CryptoCeiling } from './ceilings/crypto.ceiling';
import { measureTransportCeiling, type TransportCeiling } from './ceilings/transport.ceiling';
import {
  cooperationFlow,
  customsFlow,
  passengerFlow,
  runExchange,
  type ExchangeFlow,
  type ExchangeResult,
} from './exchange.scenario';
import { clientSecurityFor, type KafkaAccess } from '@app/testing';
import { type DiyResult, runDiyPeer } from './diy/diy.scenario';
import { FlowTap } from './flow-tap';
import { resentRequests } from './http-client';
import { runPassengerQueries, type PassengerResult } from './passenger.scenario';
import { ProcWatch, type ProcUsage, type WatchedProcess } from './proc-stats';

export interface BenchOptions {
  /** The broker, and how to reach it as the admin and as each party (SASL_SSL, ACLs, as in production). */
  readonly kafka: KafkaAccess;
  /** The broker's process id, to report its CPU and memory (absent for an external broker). */
  readonly brokerPid?: number;
  /** PostgreSQL for the nodes (a database each), or PGlite without it; `pid` to report its CPU and memory. */
  readonly postgres?: { readonly adminUrl: string; readonly pid?: number };
  /** Messages of the main exchange run and the transport ceiling (issue: 20,000). */
  readonly messages: number;
  /** Offered rate of the latency run, messages per second. */
  readonly ratePerSecond: number;
  /** Messages of each scaling run (payload sizes, five nodes). */
  readonly scalingMessages: number;
  readonly passengerRuns: number;
  readonly passengerSizes: readonly number[];
  readonly cryptoCount: number;
  readonly entry: 'dist' | 'source';
  readonly cpuProfile?: boolean;
  /** Progress lines for the operator (never message contents). */
  readonly log: (line: string) => void;
  /**
   * Starts a three-broker cluster for the full-speed runs again on it, after the single broker's
   * phases (so that its idle brokers do not share the machine with those); stopped after them.
   */
  readonly cluster?: () => Promise<BenchCluster>;
  /**
   * With 2 or more: the two full-speed runs again with the receiving node us-cbp as this many
   * processes on its one database (needs PostgreSQL), beside the one-process runs.
   */
  readonly replicas?: number;
}

export interface BenchCluster {
  readonly kafka: KafkaAccess;
  readonly brokerPids: readonly number[];
  stop(): Promise<void>;
}

/** One measured phase: what it achieved and what each process spent on it. */
export interface Phase<T> {
  readonly name: string;
  readonly result: T;
  readonly processes: readonly ProcUsage[];
}

export interface BenchReport {
  readonly startedAt: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly node: string;
    readonly memoryGiB: number;
  };
  readonly options: Omit<BenchOptions, 'log' | 'kafka' | 'brokerPid' | 'postgres' | 'cluster'> & {
    readonly store: 'postgres' | 'pglite';
  };
  readonly crypto: CryptoCeiling;
  readonly transport: Phase<TransportCeiling>;
  readonly exchange: {
    readonly fullSpeed: Phase<ExchangeResult>;
    /** Full speed again, the messages submitted BATCH_SIZE per request (POST /v1/messages/batch). */
    readonly fullSpeedBatched: Phase<ExchangeResult & { readonly batchSize: number }>;
    readonly offeredRate: Phase<ExchangeResult>;
    /** At half the full-speed throughput: latency under normal load. */
    readonly normalLoad: Phase<ExchangeResult & { readonly ratePerSecond: number }>;
    readonly payloads: readonly Phase<ExchangeResult & { readonly payloadBytes: number }>[];
    readonly fiveNodes: Phase<ExchangeResult>;
  };
  readonly passenger: Phase<readonly PassengerResult[]>;
  /**
   * The hand-rolled peer (kafkajs + jose + pg, tools/bench/diy/) at full speed on the same broker and
   * PostgreSQL, its sender and receiver as two processes. Absent without PostgreSQL.
   */
  readonly diy?: Phase<DiyResult>;
  /** `--replicas N`: the two full-speed runs again with us-cbp as N processes on one database. */
  readonly replicas?: {
    readonly count: number;
    readonly fullSpeed: Phase<ExchangeResult>;
    readonly fullSpeedBatched: Phase<ExchangeResult & { readonly batchSize: number }>;
  };
  /** `--cluster`: the two full-speed runs again over three brokers, topics with RF 3 and min ISR 2. */
  readonly threeBrokers?: {
    readonly fullSpeed: Phase<ExchangeResult>;
    readonly fullSpeedBatched: Phase<ExchangeResult & { readonly batchSize: number }>;
  };
  /**
   * Requests the driver sent a second time because a kept-alive socket was reset just as they went
   * out (http-client.ts). Counted so that a node dropping connections cannot hide behind the retry.
   */
  readonly resentRequests: number;
}

const MAIN_PAYLOAD = 2_048;
/** us-cbp answers traveler queries (ATS-G) with its watchlist assessor; the other nodes run none. */
const assessingUsCbp = (party: PartyId) =>
  party === 'us-cbp' ? { PUENTE_RISK_ASSESSOR: 'watchlist' } : undefined;
/** Messages per request in the batched full-speed run, two requests in flight. */
const BATCH_SIZE = 50;

/**
 * The whole benchmark: ceilings first (crypto alone, then kafkajs alone through the same broker with
 * records of the size a signed 2 KB message has), then the exchange over real nodes — full speed, a
 * fixed offered rate, half the full-speed rate, three payload sizes, five nodes at once — and the
 * passenger-risk queries. Each phase on the network records the CPU seconds
 * and peak memory of every process involved.
 */
export async function runBench(o: BenchOptions): Promise<BenchReport> {
  const os = await import('node:os');
  const startedAt = new Date().toISOString();
  const resentBefore = resentRequests();
  const scratch = mkdtempSync(join(tmpdir(), 'puente-bench-'));
  const infra: WatchedProcess[] = [
    ...(o.brokerPid ? [{ name: 'kafka broker', pid: o.brokerPid }] : []),
    ...(o.postgres?.pid ? [{ name: 'postgresql', pid: o.postgres.pid, tree: true }] : []),
  ];
  let networkCount = 0;
  const withNetwork = async <T>(
    parties: readonly PartyId[],
    work: (network: BenchNetwork, tap: FlowTap, watch: (name: string) => () => ProcUsage[]) => Promise<T>,
    envFor?: (party: PartyId) => Record<string, string> | undefined,
    on: {
      readonly kafka: KafkaAccess;
      readonly infra: readonly WatchedProcess[];
      readonly replicas?: Partial<Record<PartyId, number>>;
    } = {
      kafka: o.kafka,
      infra,
    },
  ): Promise<T> => {
    const namespace = `bench${Date.now().toString(36)}n${++networkCount}`;
    o.log(`starting ${parties.length} nodes (${parties.join(', ')})`);
    const network = await BenchNetwork.start({
      kafka: on.kafka,
      parties,
      dir: join(scratch, namespace),
      namespace,
      postgresAdminUrl: o.postgres?.adminUrl,
      entry: o.entry,
      cpuProfile: o.cpuProfile,
      envFor,
      replicas: on.replicas,
    });
    const tap = await FlowTap.start(on.kafka.brokers, clientSecurityFor(on.kafka, 'admin'), namespace);
    const watch = (name: string) => {
      o.log(name);
      const w = new ProcWatch([
        ...[...network.nodes.values()].flatMap((n) =>
          n.pids.map((pid, i) => ({
            name: n.pids.length > 1 ? `node ${n.party}, replica ${i + 1}` : `node ${n.party}`,
            pid,
          })),
        ),
        ...on.infra,
        { name: 'bench driver', pid: process.pid },
      ]);
      return () => w.stop();
    };
    try {
      return await work(network, tap, watch);
    } finally {
      await tap.stop();
      await network.stop();
    }
  };
  const phase = async <T>(
    watch: (name: string) => () => ProcUsage[],
    name: string,
    run: () => Promise<T>,
  ) => {
    const stop = watch(name);
    const result = await run();
    return { name, result, processes: stop() };
  };

  let report: BenchReport;
  try {
    o.log(`crypto ceiling: ${o.cryptoCount} signatures of each kind`);
    const crypto = await measureCryptoCeiling({ count: o.cryptoCount, payloadBytes: MAIN_PAYLOAD });

    // Before any node runs, so that nothing else (a database catching up on its writes) shares the CPU.
    const recordBytes = crypto.sizes.messageJws;
    const transportWatch = new ProcWatch([...infra, { name: 'bench driver', pid: process.pid }]);
    o.log(`transport ceiling: kafkajs alone, ${o.messages} records of ${recordBytes} bytes`);
    const transportResult = await measureTransportCeiling({
      brokers: [...o.kafka.brokers],
      security: clientSecurityFor(o.kafka, 'admin'),
      count: o.messages,
      payloadBytes: recordBytes,
    });
    const transport = {
      name: 'transport ceiling',
      result: transportResult,
      processes: transportWatch.stop(),
    };

    // Before the nodes too: the hand-rolled peer gets the quieter machine, which can only flatter it.
    let diy: Phase<DiyResult> | undefined;
    if (o.postgres) {
      const name = `DIY peer (kafkajs + jose + pg) at full speed: ${o.messages} messages`;
      const run = await runDiyPeer({
        kafka: o.kafka,
        postgresAdminUrl: o.postgres.adminUrl,
        dir: join(scratch, 'diy'),
        namespace: `bench${Date.now().toString(36)}diy`,
        messages: o.messages,
        payload: customsFlow('sv-dga', 'us-cbp', MAIN_PAYLOAD).payload(0),
        watch: (processes) => {
          o.log(name);
          const w = new ProcWatch([...processes, ...infra, { name: 'bench driver', pid: process.pid }]);
          return () => w.stop();
        },
        log: o.log,
      });
      diy = { name, ...run };
    } else o.log('no DIY peer: it needs PostgreSQL');

    const pair: PartyId[] = ['sv-dga', 'us-cbp'];
    const main = customsFlow('sv-dga', 'us-cbp', MAIN_PAYLOAD);
    // Warm-up, then full speed one message per request and BATCH_SIZE per request.
    const fullSpeeds = async (
      network: BenchNetwork,
      tap: FlowTap,
      watch: (name: string) => () => ProcUsage[],
      where = '',
    ) => {
      const warm = await runExchange(network, tap, { flows: [main], messages: 200 });
      o.log(`warm-up: ${warm.delivered} delivered`);
      const fullSpeed = await phase(watch, `exchange at full speed${where}: ${o.messages} messages`, () =>
        runExchange(network, tap, { flows: [main], messages: o.messages, concurrency: 64 }),
      );
      const batched = await phase(
        watch,
        `exchange at full speed, ${BATCH_SIZE} per request${where}: ${o.messages} messages`,
        () =>
          runExchange(network, tap, {
            flows: [main],
            messages: o.messages,
            batchSize: BATCH_SIZE,
            concurrency: 2,
          }),
      );
      const fullSpeedBatched = { ...batched, result: { ...batched.result, batchSize: BATCH_SIZE } };
      return { fullSpeed, fullSpeedBatched };
    };
    const twoNodes = await withNetwork(pair, async (network, tap, watch) => {
      const { fullSpeed, fullSpeedBatched } = await fullSpeeds(network, tap, watch);
      const offered = Math.min(o.messages, o.ratePerSecond * 20);
      const offeredRate = await phase(
        watch,
        `exchange at ${o.ratePerSecond}/s offered: ${offered} messages`,
        () => runExchange(network, tap, { flows: [main], messages: offered, ratePerSecond: o.ratePerSecond }),
      );
      const normalRate = Math.max(10, Math.round(fullSpeed.result.perSecond / 20) * 10);
      const normalMessages = Math.min(o.messages, normalRate * 20);
      const normal = await phase(
        watch,
        `exchange at ${normalRate}/s offered: ${normalMessages} messages`,
        () =>
          runExchange(network, tap, { flows: [main], messages: normalMessages, ratePerSecond: normalRate }),
      );
      const normalLoad = { ...normal, result: { ...normal.result, ratePerSecond: normalRate } };
      const payloads: Phase<ExchangeResult & { payloadBytes: number }>[] = [];
      for (const payloadBytes of [200, 2_048, 65_536]) {
        const p = await phase(watch, `exchange of ${payloadBytes}-byte payloads: ${o.scalingMessages}`, () =>
          runExchange(network, tap, {
            flows: [customsFlow('sv-dga', 'us-cbp', payloadBytes)],
            messages: o.scalingMessages,
            concurrency: 64,
          }),
        );
        payloads.push({ ...p, result: { ...p.result, payloadBytes } });
      }
      return { fullSpeed, fullSpeedBatched, offeredRate, normalLoad, payloads };
    });

    const five: PartyId[] = ['sv-dga', 'us-cbp', 'us-ice', 'mx-anam', 'sv-dgme'];
    // Every one of the five exchanging at once, each under its own agreement: customs offenses under
    // the CMAA (three parties, both ways), notices under the MOU, and traveler queries under ATS-G
    // (7 travelers, about 2 KB, each answered by us-cbp's assessor).
    const fiveFlows: ExchangeFlow[] = [
      customsFlow('sv-dga', 'us-cbp', MAIN_PAYLOAD),
      customsFlow('us-ice', 'sv-dga', MAIN_PAYLOAD),
      customsFlow('us-cbp', 'sv-dga', MAIN_PAYLOAD),
      customsFlow('sv-dga', 'us-ice', MAIN_PAYLOAD),
      cooperationFlow('us-cbp', 'mx-anam', MAIN_PAYLOAD),
      cooperationFlow('mx-anam', 'us-cbp', MAIN_PAYLOAD),
      passengerFlow('sv-dgme', 'us-cbp', 7),
    ];
    const fiveNodes = await withNetwork(
      five,
      async (network, tap, watch) => {
        await runExchange(network, tap, { flows: fiveFlows, messages: 200 });
        return phase(
          watch,
          `five nodes, ${fiveFlows.length} flows at once: ${o.scalingMessages} messages`,
          () => runExchange(network, tap, { flows: fiveFlows, messages: o.scalingMessages, concurrency: 64 }),
        );
      },
      assessingUsCbp,
    );

    const passenger = await withNetwork(
      ['sv-dgme', 'us-cbp'],
      async (network, _tap, watch) => {
        await runPassengerQueries(network, 10, 1);
        return phase(
          watch,
          `passenger-risk queries of ${o.passengerSizes.join(', ')} travelers`,
          async () => {
            const results: PassengerResult[] = [];
            for (const travelers of o.passengerSizes)
              results.push(await runPassengerQueries(network, travelers, o.passengerRuns));
            return results;
          },
        );
      },
      assessingUsCbp,
    );

    let replicas: BenchReport['replicas'];
    const count = o.replicas ?? 1;
    if (count > 1) {
      if (!o.postgres) throw new Error('replicas need PostgreSQL (PUENTE_BENCH_STORE=postgres)');
      replicas = {
        count,
        ...(await withNetwork(
          pair,
          (network, tap, watch) => fullSpeeds(network, tap, watch, `, us-cbp as ${count} replicas`),
          undefined,
          { kafka: o.kafka, infra, replicas: { 'us-cbp': count } },
        )),
      };
    }

    let threeBrokers: BenchReport['threeBrokers'];
    if (o.cluster) {
      o.log('starting the three-broker cluster (SASL_SSL, ACLs, RF 3, min ISR 2)');
      const cluster = await o.cluster();
      try {
        threeBrokers = await withNetwork(
          pair,
          (network, tap, watch) => fullSpeeds(network, tap, watch, ', 3 brokers'),
          undefined,
          {
            kafka: cluster.kafka,
            infra: [
              ...cluster.brokerPids.map((pid, i) => ({ name: `kafka broker ${i + 1} of 3`, pid })),
              ...infra.filter((p) => p.name !== 'kafka broker'),
            ],
          },
        );
      } finally {
        await cluster.stop();
      }
    }

    report = {
      startedAt,
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        node: process.version,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      },
      options: {
        messages: o.messages,
        ratePerSecond: o.ratePerSecond,
        scalingMessages: o.scalingMessages,
        passengerRuns: o.passengerRuns,
        passengerSizes: o.passengerSizes,
        cryptoCount: o.cryptoCount,
        entry: o.entry,
        cpuProfile: o.cpuProfile,
        replicas: count,
        store: o.postgres ? 'postgres' : 'pglite',
      },
      crypto,
      transport,
      exchange: { ...twoNodes, fiveNodes },
      passenger,
      ...(diy ? { diy } : {}),
      ...(replicas ? { replicas } : {}),
      ...(threeBrokers ? { threeBrokers } : {}),
      resentRequests: resentRequests() - resentBefore,
    };
  } catch (error) {
    // The nodes' logs say why a phase failed: kept, and named.
    o.log(`the bench failed; node logs kept in ${scratch}/*/logs`);
    throw error;
  } finally {
    if (o.cpuProfile) o.log(`CPU profiles kept in ${scratch}/*/profiles`);
  }
  if (!o.cpuProfile) rmSync(scratch, { recursive: true, force: true });
  return report;
}

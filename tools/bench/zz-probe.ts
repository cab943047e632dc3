// Temporary measuring probe (not committed): 2 nodes, N messages full speed, then pg_stat_statements.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startManagedKafka, startPostgres } from '@app/testing';
import { BenchNetwork } from './bench-network';
import { customsFlow, runExchange } from './exchange.scenario';
import { FlowTap } from './flow-tap';
import { ProcWatch } from './proc-stats';

(async () => {
  const N = Number(process.env.N ?? 5000);
  const size = Number(process.env.SIZE ?? 2048);
  const rate = process.env.RATE ? Number(process.env.RATE) : undefined;
  const kafka = await startManagedKafka(39092);
  const pg = await startPostgres();
  const admin = new Client({ connectionString: pg.adminUrl });
  await admin.connect();
  await admin.query(`alter system set shared_preload_libraries = 'pg_stat_statements'`);
  await admin.end();
  await pg.restart();
  const a2 = new Client({ connectionString: pg.adminUrl });
  await a2.connect();
  const ns = `probe${Date.now().toString(36)}`;
  const network = await BenchNetwork.start({ brokers: kafka.brokers, parties: ['sv-dga', 'us-cbp'], dir: mkdtempSync(join(tmpdir(), 'probe-')), namespace: ns, postgresAdminUrl: pg.adminUrl, entry: 'dist', cpuProfile: !!process.env.PROF });
  const tap = await FlowTap.start(kafka.brokers, ns);
  try {
    const flow = customsFlow('sv-dga', 'us-cbp', size);
    await runExchange(network, tap, { flows: [flow], messages: 300 });
    for (const db of ['postgres']) await a2.query('create extension if not exists pg_stat_statements');
    await a2.query('select pg_stat_statements_reset()');
    const brokerPid = Number(readFileSync(join(__dirname, '../../.puente/kafka/39092/broker.pid'), 'utf8').trim());
    const w = new ProcWatch([...[...network.nodes.values()].map((n) => ({ name: n.party, pid: n.pid })), { name: 'broker', pid: brokerPid }, { name: 'pg', pid: pg.pid(), tree: true }, { name: 'driver', pid: process.pid }]);
    const r = await runExchange(network, tap, { flows: [flow], messages: N, concurrency: 64, ...(rate ? { ratePerSecond: rate } : {}) });
    const usage = w.stop();
    console.log(JSON.stringify({ perSecond: r.perSecond, delivered: r.delivered, latency: r.latencyMs }));
    for (const u of usage) console.log(`${u.name.padEnd(8)} ${(1000 * u.cpuSeconds / r.delivered).toFixed(2)} ms/msg  peak ${u.peakRssMiB} MiB`);
    const st = await a2.query(`select calls, round(total_exec_time::numeric,0) ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) q from pg_stat_statements order by calls desc limit 25`);
    for (const row of st.rows) console.log(`${(row.calls / r.delivered).toFixed(2).padStart(6)}/msg ${String(row.ms).padStart(6)}ms  ${row.q}`);
  } finally {
    await tap.stop(); await network.stop(); await a2.end(); await pg.stop(); await kafka.stop();
  }
})().catch((e) => { console.error(e); process.exit(1); });

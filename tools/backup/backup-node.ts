/**
 * `npm run backup -- --out FILE` — writes a consistent snapshot of a node's database (every table,
 * the inbox consumer offsets included) to one gzip file, mode 0600. Reads the node's configuration
 * like the node does (DATABASE_URL, or PUENTE_DATA_DIR for PGlite, with PUENTE_PARTY). On PostgreSQL
 * it runs beside a running node; a PGlite data directory belongs to one process, so stop the node
 * first. Exit code 0 when written, 2 on usage errors or failure.
 */
import { parseArgs } from 'node:util';
import { loadNodeConfig } from '@app/config';
import { openDatabase, writeBackup } from '@app/persistence';

async function main(): Promise<number> {
  const out = parseArgs({ options: { out: { type: 'string' } } }).values.out;
  if (!out) {
    process.stderr.write('usage: npm run backup -- --out FILE\n');
    return 2;
  }
  const config = loadNodeConfig({ KAFKA_BROKERS: 'unused:9092', ...process.env });
  const db = await openDatabase(config.database);
  try {
    const started = Date.now();
    const backup = await writeBackup(db, config.party, out, new Date());
    const rows = Object.entries(backup.rows)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ');
    process.stdout.write(
      `backup of ${config.party} written to ${out} in ${Date.now() - started} ms: ${rows}; audit head ${backup.header.auditHead.seq}; sha256 ${backup.sha256}\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);

/**
 * `npm run audit:verify` — verifies a node's hash-chained audit log and names the first entry that was
 * altered or removed. Reads the node's own configuration (DATABASE_URL, or PUENTE_DATA_DIR for PGlite,
 * with PUENTE_PARTY), like the node does. Exit code 0 when intact, 1 when broken, 2 on usage errors.
 */
import { loadNodeConfig } from '@app/config';
import { AuditLogRepository, openDatabase } from '@app/persistence';

async function main(): Promise<number> {
  const config = loadNodeConfig({ KAFKA_BROKERS: 'unused:9092', ...process.env });
  const db = await openDatabase(config.database);
  try {
    const verdict = await new AuditLogRepository(db).verify();
    if (verdict.ok) {
      process.stdout.write(
        `audit log of ${config.party}: intact, ${verdict.entries} entries, head ${verdict.head}\n`,
      );
      return 0;
    }
    process.stdout.write(
      `audit log of ${config.party}: BROKEN at entry ${verdict.firstBadSeq} (${verdict.problem}): ${verdict.detail}; ${verdict.entries} entries before it verify\n`,
    );
    return 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);

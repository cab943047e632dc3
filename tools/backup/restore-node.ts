/**
 * `npm run restore -- --from FILE` — replaces a stopped node's database with a backup's rows, in one
 * transaction, after checking the whole file (digest, row counts, party, schema), and records the
 * restore in the audit log. On its next start the node reads again from the broker every record
 * received after the backup (its consumer resumes from the offsets in the backup), and re-sends what
 * the backup shows unsettled. Exit code 0 when restored, 1 when the backup or the node's state is
 * refused (the reason code says which), 2 on usage errors or failure.
 */
import { parseArgs } from 'node:util';
import { loadNodeConfig } from '@app/config';
import { BackupError, NODE_APPLICATION_NAME, openDatabase, restoreBackup } from '@app/persistence';

async function main(): Promise<number> {
  const from = parseArgs({ options: { from: { type: 'string' } } }).values.from;
  if (!from) {
    process.stderr.write('usage: npm run restore -- --from FILE   (stop the node first)\n');
    return 2;
  }
  const config = loadNodeConfig({ KAFKA_BROKERS: 'unused:9092', ...process.env });
  const db = await openDatabase(config.database);
  try {
    const restored = await restoreBackup(db, from, config.party, new Date(), NODE_APPLICATION_NAME);
    const rows = Object.entries(restored.rows)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ');
    process.stdout.write(
      `restored ${config.party} from the backup of ${restored.header.createdAt}: ${rows}; audit entry ${restored.restoreEntry} records the restore\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    process.stderr.write(`restore refused: ${error.message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`restore failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);

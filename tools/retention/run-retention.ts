/**
 * `npm run retention` — removes now the personal data whose agreement retention period has run out,
 * as the node's scheduled job does (metadata, receipts and the audit chain stay). Reads the node's own
 * configuration (PUENTE_PARTY, DATABASE_URL or PUENTE_DATA_DIR, PUENTE_AGREEMENTS_FILE).
 */
import { loadCatalog } from '@app/agreements';
import { loadNodeConfig } from '@app/config';
import { openDatabase, runRetention } from '@app/persistence';

async function main(): Promise<void> {
  const config = loadNodeConfig({ KAFKA_BROKERS: 'unused:9092', ...process.env });
  const catalog = loadCatalog(config.agreements.partiesFile, config.agreements.agreementsFile);
  const db = await openDatabase(config.database);
  try {
    for (const pass of await runRetention(db, catalog.agreements, new Date())) {
      process.stdout.write(
        `${config.party} ${pass.agreementId}: retention ${pass.retentionDays} days, removed personal data of ${pass.count.received} received and ${pass.count.sent} sent messages before ${pass.cutoff.toISOString()}\n`,
      );
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

/**
 * `npm run evidence:export -- --conversation ID --out FILE [--client NAME]` — writes one conversation
 * of this node as an evidence bundle (the same bundle as `GET /v1/conversations/:id/evidence`).
 * Reads the node's configuration like the node does (DATABASE_URL or PUENTE_DATA_DIR, PUENTE_PARTY,
 * the keys directory). On PostgreSQL it runs beside a running node; a PGlite data directory belongs
 * to one process, so stop the node first. The export is an audit entry naming `--client` (default:
 * `cli:<user>`). The segment's last entries are anchored by the node's next published checkpoint,
 * not by one made here (the tool does not publish).
 *
 * Exit code 0 when written, 1 when the conversation is unknown, 2 on usage errors or failure.
 */
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { loadCatalog } from '@app/agreements';
import { loadNodeConfig } from '@app/config';
import { isUuid } from '@app/contracts';
import {
  AgreementVersionsRepository,
  AuditCheckpointsRepository,
  AuditLogRepository,
  InboxRepository,
  migrate,
  openDatabase,
  OutboundMessagesRepository,
  ReceiptsRepository,
} from '@app/persistence';
import { loadOwnKeys, TrustStore } from '@app/signing';
import { ConversationNotFoundError, EvidenceCollector } from '../../apps/exchange-node/src/index';

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { conversation: { type: 'string' }, out: { type: 'string' }, client: { type: 'string' } },
    strict: true,
  });
  if (!values.conversation || !values.out || !isUuid(values.conversation)) {
    process.stderr.write(
      'usage: npm run evidence:export -- --conversation <uuid> --out FILE [--client NAME]\n',
    );
    return 2;
  }
  const client = values.client ?? `cli:${userInfo().username}`;
  const config = loadNodeConfig({ KAFKA_BROKERS: 'unused:9092', ...process.env });
  const catalog = loadCatalog(config.agreements.partiesFile, config.agreements.agreementsFile);
  const [own, trust] = await Promise.all([
    loadOwnKeys(config.keys.dir, config.party),
    TrustStore.load(config.keys.trustStoreFile),
  ]);
  const db = await openDatabase(config.database);
  try {
    await migrate(db);
    const agreementVersions = new AgreementVersionsRepository(db);
    const now = new Date();
    await EvidenceCollector.recordAgreements(agreementVersions, catalog, now);
    const collector = new EvidenceCollector({
      party: config.party,
      db,
      sent: new OutboundMessagesRepository(db),
      received: new InboxRepository(db),
      receipts: new ReceiptsRepository(db),
      audit: new AuditLogRepository(db),
      checkpoints: new AuditCheckpointsRepository(db),
      agreementVersions,
      trust,
      own,
    });
    const exported = await collector.export(values.conversation, client, now);
    writeFileSync(values.out, exported.bundle, { mode: 0o600 });
    process.stdout.write(
      `evidence of conversation ${values.conversation} written to ${values.out}: ${exported.messages} messages, ${exported.receipts} receipts, audit entries ${exported.auditFrom}–${exported.auditTo}; check it with npm run evidence:verify -- ${values.out}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ConversationNotFoundError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `evidence export failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(2);
  },
);

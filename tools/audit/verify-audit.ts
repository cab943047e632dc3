/**
 * `npm run audit:verify [-- --peer <party>]` — verifies a node's hash-chained audit log. Reads the
 * node's own configuration (DATABASE_URL, or PUENTE_DATA_DIR for PGlite, with PUENTE_PARTY, the
 * broker and keys settings), like the node does.
 *
 * Without --peer: walks the local chain (names the first entry altered or removed), then compares it
 * with the checkpoints this node published on the trust topic, which its peers hold: a chain
 * rewritten in the database with every later hash and the head recomputed still disagrees with them,
 * and the first entry that does is named.
 *
 * With --peer P: compares P's checkpoints held in this node's database with what P presents on the
 * trust topic now.
 *
 * Exit code 0 when everything agrees, 1 when something does not, 2 on usage or connection errors.
 */
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import { loadNodeConfig } from '@app/config';
import { PARTY_ID_PATTERN } from '@app/contracts';
import { AuditCheckpointsRepository, AuditLogRepository, openDatabase } from '@app/persistence';
import { compareHeldWithPresented, compareWithPublished } from './checkpoint.comparison';
import { readPublishedCheckpoints } from './published-checkpoints';

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { peer: { type: 'string' } }, strict: true });
  const peer = values.peer;
  if (peer !== undefined && !PARTY_ID_PATTERN.test(peer)) throw new Error(`--peer ${peer} is not a party id`);
  Logger.overrideLogger(['error']);
  const config = loadNodeConfig({ ...process.env });
  const db = await openDatabase(config.database);
  try {
    const audit = new AuditLogRepository(db);
    const checkpoints = new AuditCheckpointsRepository(db);
    const published = await readPublishedCheckpoints(config);
    if (peer !== undefined) {
      const verdict = compareHeldWithPresented(await checkpoints.listFor(peer), published.get(peer) ?? []);
      if (verdict.ok) {
        process.stdout.write(
          `checkpoints of ${peer} held by ${config.party}: ${verdict.checkpoints} agree with what ${peer} presents (up to entry ${verdict.lastSeq})\n`,
        );
        return 0;
      }
      process.stdout.write(
        `checkpoints of ${peer} held by ${config.party}: DISAGREE at entry ${verdict.seq}: ${verdict.detail}\n`,
      );
      return 1;
    }
    const chain = await audit.verify();
    if (!chain.ok) {
      process.stdout.write(
        `audit log of ${config.party}: BROKEN at entry ${chain.firstBadSeq} (${chain.problem}): ${chain.detail}; ${chain.entries} entries before it verify\n`,
      );
      return 1;
    }
    const own = published.get(config.party) ?? [];
    const head = await audit.head();
    const restores = (
      await db.query<{ at: Date | string; seq: string | null }>(
        "select at, detail->>'backupAuditSeq' as seq from audit_log where kind = 'node.restored'",
      )
    ).map((r) => ({ at: new Date(r.at), backupSeq: Number(r.seq ?? 0) }));
    const verdict = compareWithPublished(
      await audit.hashesAt(own.map((c) => c.seq)),
      head.seq,
      own,
      restores,
    );
    if (!verdict.ok) {
      process.stdout.write(
        `audit log of ${config.party}: REWRITTEN — the chain verifies on its own (${chain.entries} entries), but ${verdict.detail}\n`,
      );
      return 1;
    }
    process.stdout.write(
      `audit log of ${config.party}: intact, ${chain.entries} entries, head ${chain.head}; agrees with ${verdict.checkpoints} published checkpoint(s) up to entry ${verdict.lastSeq}${verdict.superseded ? `; ${verdict.superseded} checkpoint(s) published before a restore from backup describe the history it discarded` : ''}\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);

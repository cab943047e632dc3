import type { Db } from '../db/db';
import { AuditLogRepository } from '../repositories/audit-log.repository';
import { type RedactionCount, RetentionRepository } from '../repositories/retention.repository';

const DAY_MS = 86_400_000;

/** What a retention pass needs of an agreement: its id and retention period (none: kept). */
export interface RetentionRule {
  readonly id: string;
  readonly retentionDays?: number;
}

export interface RetentionPass {
  readonly agreementId: string;
  readonly retentionDays: number;
  readonly cutoff: Date;
  readonly count: RedactionCount;
}

/**
 * One retention pass: for each agreement with a retention period, empty the payloads older than it
 * and record that in the audit chain, each agreement in its own transaction. The node's scheduled job
 * and `npm run retention` both call this, so the tool and the node cannot drift apart; it lives in
 * this library (not in the app) so that a tool can run it without reaching into the app's internals.
 */
export async function runRetention(
  db: Db,
  agreements: readonly RetentionRule[],
  now: Date,
): Promise<RetentionPass[]> {
  const retention = new RetentionRepository();
  const audit = new AuditLogRepository(db);
  const passes: RetentionPass[] = [];
  for (const agreement of agreements) {
    if (!agreement.retentionDays) continue;
    const cutoff = new Date(now.getTime() - agreement.retentionDays * DAY_MS);
    const count = await db.transaction(async (tx) => {
      const c = await retention.redactOlderThan(tx, agreement.id, cutoff, now);
      if (c.received + c.sent > 0) {
        await audit.append(tx, now, 'message.redacted', null, null, {
          agreement: agreement.id,
          cutoff: cutoff.toISOString(),
          received: c.received,
          sent: c.sent,
        });
      }
      return c;
    });
    passes.push({ agreementId: agreement.id, retentionDays: agreement.retentionDays, cutoff, count });
  }
  return passes;
}

import type { AgreementsCatalog } from '@app/agreements';
import { AuditLogRepository, type Db, type RedactionCount, RetentionRepository } from '@app/persistence';

const DAY_MS = 86_400_000;

export interface RetentionPass {
  readonly agreementId: string;
  readonly retentionDays: number;
  readonly cutoff: Date;
  readonly count: RedactionCount;
}

/**
 * One retention pass: for each agreement with a retention period, empty the payloads older than it
 * and record that in the audit chain, each agreement in its own transaction. Shared by the node's
 * scheduled job and `npm run retention`.
 */
export async function runRetention(db: Db, catalog: AgreementsCatalog, now: Date): Promise<RetentionPass[]> {
  const retention = new RetentionRepository();
  const audit = new AuditLogRepository(db);
  const passes: RetentionPass[] = [];
  for (const agreement of catalog.agreements) {
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

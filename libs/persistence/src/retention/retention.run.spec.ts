import { PgliteDb } from '../db/pglite.db';
import { migrate } from '../migrations/migrate';
import { AuditLogRepository } from '../repositories/audit-log.repository';
import { InboxRepository } from '../repositories/inbox.repository';
import type { InboxMessageRecord } from '../repositories/records';
import { runRetention } from './retention.run';

describe('runRetention', () => {
  let db: PgliteDb;
  beforeEach(async () => {
    db = await PgliteDb.inMemory();
    await migrate(db);
  });
  afterEach(() => db.close());

  const received = (id: string, agreementId: string, receivedAt: string): InboxMessageRecord => ({
    sender: 'sv-dgme',
    id,
    conversationId: id,
    inReplyTo: null,
    type: 'puente.passenger_risk.v1.TravelerRiskQuery',
    agreementId,
    purpose: 'traveler-risk-assessment',
    createdAt: new Date(receivedAt),
    expiresAt: new Date('2027-01-01T00:00:00Z'),
    payload: { travelers: [{ familyName: 'PEREZ' }] },
    recordDigest: `sha256:${id}`,
    receivedAt: new Date(receivedAt),
  });

  it("empties only payloads past their agreement's period, skips agreements without one, and audits it", async () => {
    const inbox = new InboxRepository(db);
    const old = '01935a4e-0000-7000-8000-0000000000a1';
    const recent = '01935a4e-0000-7000-8000-0000000000a2';
    const kept = '01935a4e-0000-7000-8000-0000000000a3';
    await db.transaction(async (tx) => {
      await inbox.insert(tx, received(old, 'atsg-us-sv', '2026-01-01T00:00:00Z'));
      await inbox.insert(tx, received(recent, 'atsg-us-sv', '2026-03-25T00:00:00Z'));
      await inbox.insert(tx, received(kept, 'cmaa-us-sv', '2025-01-01T00:00:00Z'));
    });

    const now = new Date('2026-04-01T00:00:00Z');
    const passes = await runRetention(
      db,
      [{ id: 'atsg-us-sv', retentionDays: 30 }, { id: 'cmaa-us-sv' }],
      now,
    );

    expect(passes).toEqual([
      {
        agreementId: 'atsg-us-sv',
        retentionDays: 30,
        cutoff: new Date('2026-03-02T00:00:00Z'),
        count: { received: 1, sent: 0, outboxRecords: 0 },
      },
    ]);
    expect((await inbox.find('sv-dgme', old))?.payload).toEqual({});
    expect((await inbox.find('sv-dgme', recent))?.payload).toEqual({ travelers: [{ familyName: 'PEREZ' }] });
    expect((await inbox.find('sv-dgme', kept))?.payload).toEqual({ travelers: [{ familyName: 'PEREZ' }] });
    expect(await new AuditLogRepository(db).verify()).toMatchObject({ ok: true, entries: 1 });
  });
});

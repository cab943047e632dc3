import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report, sendMany, settleAndCount } from '../support/fault-run';
import { runNodeTool } from '../support/node-tool';
import { TestNetwork } from '../support/test-network';

// 2,000 messages, a backup, a stop and a restore: longer than the default integration timeout.
jest.setTimeout(400_000);

/**
 * The receiving node's database is replaced, mid-stream, by a backup taken earlier. Its consumer
 * resumes from the offsets in the backup, reads again what came after, and answers from the restored
 * state: nothing received since the backup is lost, nothing is stored twice.
 */
describe('2300 receiving node restored from an older backup mid-stream', () => {
  let network: TestNetwork;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'puente-2300-'));
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      asProcesses: ['us-cbp'],
      env: { PUENTE_RESEND_AFTER_MS: '20000' },
    });
  });
  afterAll(async () => {
    await network?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('ends with every message in the inbox once, and an audit chain that verifies', async () => {
    const started = Date.now();
    const receiver = network.node('us-cbp');
    const proc = receiver.process;
    if (!proc) throw new Error('us-cbp should run as a process');
    const file = join(dir, 'us-cbp.backup.gz');
    const inboxCount = async () =>
      Number(
        (await receiver.db.query<{ n: string }>('select count(*)::text as n from inbox_messages'))[0]?.n,
      );

    let phase: 'before-backup' | 'backing-up' | 'backed-up' | 'restoring' | 'restored' = 'before-backup';
    const seen = { atBackup: 0, beforeStop: 0, afterRestore: 0, backup: '', restore: '' };
    const sent = await sendMany(network, [{ from: 'sv-dga', to: 'us-cbp', count: 2000 }], {
      afterEach: async (n) => {
        if (phase === 'before-backup' && n % 5 === 0) {
          const stored = await inboxCount();
          if (stored < 700 || phase !== 'before-backup') return;
          phase = 'backing-up';
          const backup = await runNodeTool(receiver, 'tools/backup/backup-node.ts', ['--out', file]);
          expect(backup.code).toBe(0);
          seen.atBackup = Number(/inbox_messages (\d+)/.exec(backup.out)?.[1]);
          seen.backup = backup.out.trim();
          phase = 'backed-up';
        } else if (phase === 'backed-up' && n >= 1500) {
          phase = 'restoring';
          await proc.stop();
          seen.beforeStop = await inboxCount();
          const restore = await runNodeTool(receiver, 'tools/backup/restore-node.ts', ['--from', file]);
          seen.restore = restore.out.trim();
          expect(restore.code).toBe(0);
          seen.afterRestore = await inboxCount();
          await proc.start();
          phase = 'restored';
        }
      },
    });
    expect(phase).toBe('restored');
    process.stdout.write(`\n2300 ${seen.backup}\n2300 ${seen.restore}\n`);
    // The restore really took the node back: what it had received since the backup was gone.
    expect(seen.atBackup).toBeGreaterThanOrEqual(700);
    expect(seen.afterRestore).toBe(seen.atBackup);
    expect(seen.beforeStop).toBeGreaterThan(seen.afterRestore);

    const figures = await settleAndCount(network, sent, 300_000);
    report(
      '2300',
      `receiver restored to its backup at ${seen.atBackup} (had ${seen.beforeStop})`,
      figures,
      Date.now() - started,
    );
    expect(figures).toMatchObject({ sent: 2000, delivered: 2000, lost: 0, unexpected: 0 });
    const [stored] = await receiver.db.query<{ n: string; distinct: string }>(
      'select count(*)::text as n, count(distinct id)::text as distinct from inbox_messages',
    );
    expect(stored).toEqual({ n: '2000', distinct: '2000' });

    const audit = await runNodeTool(receiver, 'tools/audit/verify-audit.ts');
    expect(audit.out).toMatch(/audit log of us-cbp: intact/);
    expect(audit.code).toBe(0);
    const restores = await receiver.db.query<{ detail: { backupAuditSeq: number } }>(
      "select detail from audit_log where kind = 'node.restored'",
    );
    expect(restores).toHaveLength(1);
  });
});

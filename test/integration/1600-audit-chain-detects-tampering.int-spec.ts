import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type AuditDetail, auditHash } from '@app/persistence';
import { report, sendMany, settleAndCount } from '../support/fault-run';
import { REPO_ROOT, TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

const run = promisify(execFile);

/** The record of what was exchanged cannot be altered unnoticed: the verify command names the entry. */
// 2,000 messages and a fault: longer than the default integration timeout.
jest.setTimeout(300_000);

describe('1600 the audit chain after an exchange, and after tampering', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      // Checkpoints every 500 entries and every 2 s: several land inside the 2,000-message exchange.
      env: { PUENTE_AUDIT_CHECKPOINT_ENTRIES: '500', PUENTE_AUDIT_CHECKPOINT_SECONDS: '2' },
    });
  });
  afterAll(() => network?.stop());

  /** The tool as an operator runs it, with the node's environment (database, broker, keys). */
  const verify = async (party: string, args: string[] = []): Promise<{ code: number; out: string }> => {
    const node = network.running(party).runtime.config;
    const url = node.database.kind === 'postgres' ? node.database.url : '';
    try {
      const { stdout } = await run(
        process.execPath,
        ['tools/run-ts.js', 'tools/audit/verify-audit.ts', ...args],
        {
          cwd: REPO_ROOT,
          env: {
            ...process.env,
            ...network.kafkaEnv(party),
            NODE_OPTIONS: '',
            PUENTE_PARTY: party,
            DATABASE_URL: url,
            PUENTE_KEYS_DIR: join(network.dir, 'keys'),
          },
        },
      );
      return { code: 0, out: stdout };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  };

  it('verifies on both nodes, then names the one row altered in the database', async () => {
    const started = Date.now();
    const sent = await sendMany(network, [
      { from: 'sv-dga', to: 'us-cbp', count: 1000 },
      { from: 'us-cbp', to: 'sv-dga', count: 1000 },
    ]);
    const figures = await settleAndCount(network, sent);
    report('1600', 'audit chain verified, then one row altered', figures, Date.now() - started);
    expect(figures).toMatchObject({ delivered: 2000, lost: 0 });

    for (const party of ['sv-dga', 'us-cbp']) {
      const ok = await verify(party);
      expect(ok.out).toMatch(new RegExp(`audit log of ${party}: intact, \\d{4,} entries`));
      expect(ok.code).toBe(0);
    }
    const db = network.node('us-cbp').db;
    await db.query(
      `update audit_log set detail = jsonb_set(detail, '{digest}', '"sha256:forged"') where seq = 1234`,
    );
    const broken = await verify('us-cbp');
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/BROKEN at entry 1234 \(altered\)/);
  });

  it('detects a whole-chain rewrite (every later hash and the head recomputed) from the checkpoints its peer holds', async () => {
    const db = network.node('us-cbp').db;
    const lastPublished = async () =>
      Number(
        (
          await db.query<{ n: string }>(
            `select max(seq)::text as n from audit_checkpoints where party = 'us-cbp'`,
          )
        )[0]?.n ?? 0,
      );
    const head = async () =>
      Number((await db.query<{ n: string }>('select seq::text as n from audit_head'))[0]?.n ?? 0);
    await waitFor(
      'a checkpoint of the whole chain',
      async () => (await lastPublished()) >= (await head()) && (await head()) > 1234,
      {
        timeoutMs: 30_000,
      },
    );
    // sv-dga holds us-cbp's checkpoints, and they agree with what us-cbp presents.
    const held = await verify('sv-dga', ['--peer', 'us-cbp']);
    expect(held.out).toMatch(/checkpoints of us-cbp held by sv-dga: \d+ agree/);
    expect(held.code).toBe(0);

    // Entry 1234 was altered (above); now every later hash and the head are recomputed, so the chain
    // verifies on its own again.
    const rows = await db.query<{
      seq: string;
      at: Date;
      kind: string;
      message_id: string | null;
      counterpart: string | null;
      detail: AuditDetail;
      prev_hash: string;
    }>(
      'select seq::text as seq, at, kind, message_id, counterpart, detail, prev_hash from audit_log where seq >= 1234 order by seq',
    );
    let prevHash =
      (await db.query<{ hash: string }>('select hash from audit_log where seq = 1233'))[0]?.hash ?? '';
    for (const r of rows) {
      const hash = auditHash({
        seq: Number(r.seq),
        at: new Date(r.at),
        kind: r.kind,
        messageId: r.message_id,
        counterpart: r.counterpart,
        detail: r.detail,
        prevHash,
      });
      await db.query('update audit_log set prev_hash = $2, hash = $3 where seq = $1', [
        r.seq,
        prevHash,
        hash,
      ]);
      prevHash = hash;
    }
    await db.query('update audit_head set hash = $1 where id = 1', [prevHash]);
    const firstCheckpointAfter = Number(
      (
        await db.query<{ n: string }>(
          `select min(seq)::text as n from audit_checkpoints where party = 'us-cbp' and seq >= 1234`,
        )
      )[0]?.n,
    );

    const rewritten = await verify('us-cbp');
    expect(rewritten.code).toBe(1);
    expect(rewritten.out).toContain(`REWRITTEN`);
    expect(rewritten.out).toContain(`entry ${firstCheckpointAfter} disagrees with the checkpoint published`);

    // The checkpoints held by the peer cannot be rewritten from here: change one in sv-dga's own
    // database and it no longer agrees with what us-cbp presents.
    await network
      .node('sv-dga')
      .db.query(`update audit_checkpoints set hash = repeat('0', 64) where party = 'us-cbp' and seq = $1`, [
        firstCheckpointAfter,
      ]);
    const tamperedHeld = await verify('sv-dga', ['--peer', 'us-cbp']);
    expect(tamperedHeld.code).toBe(1);
    expect(tamperedHeld.out).toContain(`DISAGREE at entry ${firstCheckpointAfter}`);
    process.stdout.write(`[1600] ${rewritten.out.trim()}\n`);
  });
});

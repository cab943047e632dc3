import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { report, sendMany, settleAndCount } from '../support/fault-run';
import { REPO_ROOT, TestNetwork } from '../support/test-network';

const run = promisify(execFile);

/** The record of what was exchanged cannot be altered unnoticed: the verify command names the entry. */
// 2,000 messages and a fault: longer than the default integration timeout.
jest.setTimeout(300_000);

describe('1600 the audit chain after an exchange, and after tampering', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({ parties: ['sv-dga', 'us-cbp'] });
  });
  afterAll(() => network?.stop());

  const verify = async (party: string): Promise<{ code: number; out: string }> => {
    const node = network.running(party).runtime.config;
    const url = node.database.kind === 'postgres' ? node.database.url : '';
    try {
      const { stdout } = await run(process.execPath, ['tools/run-ts.js', 'tools/audit/verify-audit.ts'], {
        cwd: REPO_ROOT,
        env: { ...process.env, NODE_OPTIONS: '', PUENTE_PARTY: party, DATABASE_URL: url },
      });
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
});

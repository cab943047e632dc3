import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, TestNetwork } from '../support/test-network';

const run = promisify(execFile);

/**
 * schemathesis generates requests from the node's own /docs-json — valid ones, invalid ones, other
 * methods, missing credentials — and checks every answer against the document: no 5xx, only
 * documented statuses, bodies and headers as documented, valid data accepted, invalid data refused,
 * 405 with Allow. Pinned (tools/fuzz/requirements.txt), installed on first use into .puente/venv;
 * the seed is fixed, so a run is repeatable, and the examples per operation are bounded.
 */
describe('2200 API fuzz: the node against its own OpenAPI document', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dga'],
      // The budget is on (its 429 is part of the contract), wide enough for the fuzzer's pace.
      env: { PUENTE_RATE_LIMIT_PER_SECOND: '2000', PUENTE_RATE_LIMIT_BURST: '4000' },
    });
  });
  afterAll(() => network?.stop());

  it('finds no failure with every check', async () => {
    const installed = await run('bash', [join(REPO_ROOT, 'tools/fuzz/ensure-schemathesis.sh')], {
      timeout: 300_000,
    });
    const st = installed.stdout.trim().split('\n').pop() ?? '';
    const node = network.node('sv-dga');
    const args = [
      '--config-file',
      join(REPO_ROOT, 'tools/fuzz/schemathesis.toml'),
      'run',
      `${node.url}/docs-json`,
      '--checks',
      'all',
      '--header',
      `Authorization: Bearer ${node.tokens.officer}`,
      '--phases',
      'examples,coverage,fuzzing,stateful',
      '--max-examples',
      '10',
      '--seed',
      '20261130',
      '--workers',
      '2',
      // Generous for a 2-core machine running the rest of the suite: a bound, not a benchmark.
      '--max-response-time',
      '10',
      '--request-timeout',
      '20',
      '--generation-database',
      'none',
      '--no-color',
    ];
    const started = Date.now();
    const result = await run(st, args, { cwd: network.dir, timeout: 300_000, maxBuffer: 64 << 20 }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({
        code: e.code ?? -1,
        out: `${e.stdout ?? ''}${e.stderr ?? ''}`,
      }),
    );
    const lines = result.out.split('\n');
    const summary = lines.slice(lines.findIndex((l) => l.startsWith('Test cases:')) + 1, -1).filter(Boolean);
    process.stdout.write(
      `[2200] schemathesis: exit ${result.code} in ${((Date.now() - started) / 1000).toFixed(0)} s:${summary[0] ?? ''}\n`,
    );
    // On failure, the report (each failure with a curl line to reproduce it) is the message.
    expect({ exit: result.code, report: result.code === 0 ? '' : result.out.slice(-12_000) }).toEqual({
      exit: 0,
      report: '',
    });
  }, 600_000);
});

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brokerCredentialsFile, readBrokerCredentials } from '@app/messaging';
import {
  EnvelopeSigner,
  loadOwnKeys,
  privateKeysFile,
  TrustStore,
  trustStoreFile,
  verifyEnvelopeJws,
} from '@app/signing';
import { parseGenerateKeysArgs } from './generate-keys';
import { DEFAULT_PARTIES, ensureKeys } from './party-keys.provisioner';

const ROOT = resolve(__dirname, '../..');

/** Runs the tool the way the README says, as a separate process. */
async function runTool(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'tools/keys/generate-keys.ts',
      ...args,
    ],
    { cwd: ROOT, timeout: 60_000 },
  );
  return stdout;
}

describe('generate-keys', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'puente-generate-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes key files and a trust store that another node loads and verifies with, printing kids only', async () => {
    const out = join(dir, 'keys');
    const stdout = await runTool(['--out', out, '--parties', 'us-cbp,sv-dga']);

    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^generated +us-cbp +sig us-cbp:sig:[\w-]{16} +enc us-cbp:enc:[\w-]{16} +broker login generated$/,
    );
    expect(lines[1]).toMatch(
      /^generated +sv-dga +sig sv-dga:sig:[\w-]{16} +enc sv-dga:enc:[\w-]{16} +broker login generated$/,
    );
    expect(lines[2]).toBe('ops-monitor broker login generated');
    // Broker logins: one per party and the monitor, private to the owner, the password never printed.
    for (const principal of ['us-cbp', 'sv-dga', 'ops-monitor']) {
      const file = brokerCredentialsFile(out, principal);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const login = readBrokerCredentials(file);
      expect(login.username).toBe(principal);
      expect(stdout).not.toContain(login.password);
    }
    for (const party of ['us-cbp', 'sv-dga']) {
      const file = privateKeysFile(out, party);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const { keys } = JSON.parse(readFileSync(file, 'utf8')) as { keys: { d: string }[] };
      for (const { d } of keys) expect(stdout).not.toContain(d);
    }
    expect(stdout).not.toMatch(/"d"/);

    // sv-dga's node signs; us-cbp's node, holding only the trust store, verifies.
    const trust = await TrustStore.load(trustStoreFile(out));
    expect(trust.parties()).toEqual(['sv-dga', 'us-cbp']);
    const dga = await loadOwnKeys(out, 'sv-dga');
    const jws = new EnvelopeSigner(dga).sign(new Uint8Array([1, 2, 3]));
    expect(verifyEnvelopeJws(jws, trust)).toMatchObject({
      ok: true,
      signer: 'sv-dga',
      kid: dga.signing.kid,
    });
    expect(stdout).toContain(dga.signing.kid);
  }, 60_000);

  it('keeps existing keys, generates missing ones, restores a lost trust-store entry, and regenerates with force', async () => {
    const first = await ensureKeys(dir, ['us-cbp']);
    expect(first.map((r) => r.outcome)).toEqual(['generated']);
    const cbpKid = first[0]?.signingKid;

    const second = await ensureKeys(dir, ['us-cbp', 'mx-anam']);
    expect(second.map((r) => [r.party, r.outcome])).toEqual([
      ['us-cbp', 'kept'],
      ['mx-anam', 'generated'],
    ]);
    expect(second[0]?.signingKid).toBe(cbpKid);

    unlinkSync(trustStoreFile(dir));
    const third = await ensureKeys(dir, ['us-cbp']);
    expect(third.map((r) => r.outcome)).toEqual(['restored']);
    expect((await TrustStore.load(trustStoreFile(dir))).signingKey(cbpKid ?? '')?.party).toBe('us-cbp');

    const forced = await ensureKeys(dir, ['us-cbp', 'mx-anam'], true);
    expect(forced.map((r) => r.outcome)).toEqual(['generated', 'generated']);
    expect(forced[0]?.signingKid).not.toBe(cbpKid);
    // Force retires the old keys, never drops them: what they signed stays verifiable.
    expect(forced[0]?.retiredKids).toContain(cbpKid);
    const trust = await TrustStore.load(trustStoreFile(dir));
    expect(trust.signingKey(cbpKid ?? '')?.validity.notAfter).toBeInstanceOf(Date);
    expect(trust.signingKeyProblemAt(cbpKid ?? '', new Date(Date.now() - 60_000))).toBeUndefined();
    expect(trust.signingKeyProblemAt(cbpKid ?? '', new Date(Date.now() + 60_000))).toBe('KEY_NOT_VALID');
    expect(trust.parties()).toEqual(['mx-anam', 'us-cbp']);
  });

  it('parses its arguments strictly, defaulting to the five parties of the design', () => {
    expect(parseGenerateKeysArgs(['--out', 'k'])).toEqual({
      out: 'k',
      parties: DEFAULT_PARTIES,
      force: false,
    });
    expect(DEFAULT_PARTIES).toEqual(['us-cbp', 'us-ice', 'sv-dga', 'sv-dgme', 'mx-anam']);
    expect(parseGenerateKeysArgs(['--out', 'k', '--parties', 'sv-dga, us-cbp,sv-dga', '--force'])).toEqual({
      out: 'k',
      parties: ['sv-dga', 'us-cbp'],
      force: true,
    });
    expect(parseGenerateKeysArgs(['--help'])).toBe('help');
    expect(() => parseGenerateKeysArgs(['--out', 'k', '--parties', 'US-CBP'])).toThrow(
      /not party ids: US-CBP/,
    );
    expect(() => parseGenerateKeysArgs(['--out', 'k', '--parties', ','])).toThrow(/lists no party/);
    expect(() => parseGenerateKeysArgs(['--outt', 'k'])).toThrow(/Unknown option/);
    expect(() => parseGenerateKeysArgs(['stray'])).toThrow();
  });
});

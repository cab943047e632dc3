import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';
import { type Manifest, MEMBER, packZip, sha256Of, unpackZip, verifyEvidenceBundle } from '@app/evidence';
import { runRetention } from '@app/persistence';
import { resignManifest } from '../support/evidence-bundles';
import { runNodeTool } from '../support/node-tool';
import { REPO_ROOT, TestNetwork, type TestNode } from '../support/test-network';
import { waitFor } from '../support/wait-for';

const run = promisify(execFile);

/**
 * A CMAA case exported as one evidence bundle and checked offline: sv-dga asks us-cbp for assistance,
 * us-cbp answers, sv-dga follows up and us-cbp refuses the follow-up with its grounds. sv-dga exports
 * the conversation; the verifier, run in an empty directory without the node's configuration, keys
 * or database, finds it whole — and finds any byte changed in any member, a record spliced in from
 * another case, and a bundle signed with a key revoked before its export time.
 */
describe('2800 evidence bundle of a CMAA conversation, verified offline', () => {
  let network: TestNetwork;
  let dga: TestNode;
  let cbp: TestNode;
  let conversationId: string;
  let otherConversationId: string;
  let bundle: Uint8Array;

  const submit = async (
    from: TestNode,
    body: Record<string, unknown>,
  ): Promise<{ id: string; conversationId: string }> => {
    const res = await from.api.submit(body);
    expect(res.status).toBe(202);
    return res.body;
  };
  const received = (at: TestNode, id: string) =>
    waitFor(`${at.party} to receive ${id}`, async () => (await at.api.message(id)).status === 200);
  const settled = (at: TestNode, id: string) =>
    waitFor(
      `${at.party} to see ${id} delivered`,
      async () => (await at.api.message(id)).body.status === 'delivered',
    );
  const exportOver = async (node: TestNode, id: string, token = node.tokens.officer) =>
    fetch(`${node.url}/v1/conversations/${id}/evidence`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    network = await TestNetwork.start({ parties: ['sv-dga', 'us-cbp'] });
    dga = network.node('sv-dga');
    cbp = network.node('us-cbp');

    const request = await submit(dga, {
      type: 'AssistanceRequest',
      to: 'us-cbp',
      purpose: 'trafficking',
      payload: EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
    });
    conversationId = request.conversationId;
    await received(cbp, request.id);
    const response = await submit(cbp, {
      type: 'AssistanceResponse',
      to: 'sv-dga',
      purpose: 'trafficking',
      inReplyTo: request.id,
      payload: EXAMPLE_PAYLOADS[MessageType.AssistanceResponse],
    });
    await received(dga, response.id);
    const followUp = await submit(dga, {
      type: 'AssistanceRequest',
      to: 'us-cbp',
      purpose: 'trafficking',
      inReplyTo: response.id,
      payload: { ...EXAMPLE_PAYLOADS[MessageType.AssistanceRequest], caseReference: 'DGA-2026-00417-B' },
    });
    expect(followUp.conversationId).toBe(conversationId);
    await received(cbp, followUp.id);
    const refusal = await submit(cbp, {
      type: 'Refusal',
      to: 'sv-dga',
      purpose: 'trafficking',
      inReplyTo: followUp.id,
      payload: EXAMPLE_PAYLOADS[MessageType.Refusal],
    });
    await received(dga, refusal.id);
    await settled(dga, followUp.id);
    await settled(cbp, refusal.id);
    // Both of sv-dga's issued receipts are stored with the messages; wait for us-cbp's to arrive too.
    await waitFor('sv-dga to hold every receipt of the case', async () => {
      const thread = (await dga.api.conversation(conversationId)).body as { receipt?: unknown }[];
      return thread.length === 4 && thread.every((m) => m.receipt);
    });

    const other = await submit(dga, {
      type: 'AssistanceRequest',
      to: 'us-cbp',
      purpose: 'trafficking',
      payload: EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
    });
    otherConversationId = other.conversationId;
    await settled(dga, other.id);

    const res = await exportOver(dga, conversationId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/vnd.puente.evidence+zip');
    bundle = new Uint8Array(await res.arrayBuffer());
  });
  afterAll(() => network?.stop());

  it('exports the whole case and the verifier, alone in an empty directory, finds it OK', async () => {
    const manifest = JSON.parse(
      Buffer.from(unpackZip(bundle).get(MEMBER.manifest) ?? []).toString(),
    ) as Manifest;
    expect(manifest.messages.map((m) => [m.direction, m.type.split('.').pop()])).toEqual([
      ['sent', 'AssistanceRequest'],
      ['received', 'AssistanceResponse'],
      ['sent', 'AssistanceRequest'],
      ['received', 'Refusal'],
    ]);
    expect(manifest.receipts).toHaveLength(4);
    expect(manifest.receipts.every((r) => r.outcome === 'ACCEPTED' && r.path)).toBe(true);
    expect(manifest.timeline.map((t) => t.event)).toEqual(
      expect.arrayContaining(['sent', 'delivered', 'received', 'answered', 'exported']),
    );

    // Only the bundle: no configuration, keys or database within reach, no PUENTE_* or DATABASE_URL.
    const fresh = mkdtempSync(join(tmpdir(), 'puente-evidence-'));
    writeFileSync(join(fresh, 'case.zip'), bundle);
    const stdout = await run(
      process.execPath,
      [join(REPO_ROOT, 'tools/run-ts.js'), join(REPO_ROOT, 'tools/evidence/verify-evidence.ts'), 'case.zip'],
      { cwd: fresh, env: { PATH: process.env.PATH ?? '' } },
    ).then(
      (r) => r.stdout,
      (e: { stdout?: string; stderr?: string }) => `exit ≠ 0\n${e.stdout ?? ''}${e.stderr ?? ''}`,
    );
    expect(stdout).toContain('RESULT: OK');
    expect(stdout).toMatch(/Message 4: received Refusal us-cbp → sv-dga/);
    expect(stdout).toMatch(/Receipt for message .*: ACCEPTED by us-cbp/);
    expect(stdout).toMatch(/Audit chain: entries \d+–\d+ re-hashed and linked/);
  });

  it('records every export in the audit chain, with the client and the conversation', async () => {
    const rows = await dga.db.query<{ detail: { conversation: string; client: string } }>(
      "select detail from audit_log where kind = 'evidence.exported'",
    );
    expect(rows.map((r) => r.detail.conversation)).toContain(conversationId);
    expect(rows.every((r) => typeof r.detail.client === 'string' && r.detail.client.length > 0)).toBe(true);
  });

  it('refuses the export to a role without it, and an unknown conversation with 404', async () => {
    expect((await exportOver(dga, conversationId, dga.tokens.ops)).status).toBe(403);
    expect((await exportOver(dga, '0190f0a0-0000-7000-8000-000000000000')).status).toBe(404);
  });

  it.each([
    ['a record', (p: string) => p.startsWith('messages/')],
    ['a payload', (p: string) => p.startsWith('payloads/')],
    ['a receipt', (p: string) => p.startsWith('receipts/')],
    ['the agreement', (p: string) => p.startsWith('agreements/')],
    ['an audit entry', (p: string) => p === MEMBER.segment],
    ['a checkpoint', (p: string) => p.startsWith('audit/checkpoints/')],
    ['a key', (p: string) => p === MEMBER.trust],
    ['the manifest', (p: string) => p === MEMBER.manifest],
  ])('names the member when one byte of %s changes', async (_what, pick) => {
    const members = unpackZip(bundle);
    const path = [...members.keys()].find(pick);
    expect(path).toBeDefined();
    const bytes = Uint8Array.from(members.get(path as string) ?? []);
    // A byte in the middle, changed to another printable one (the member stays text and, mostly, parses).
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
    members.set(path as string, bytes);
    const report = await verifyEvidenceBundle(packZip(members));
    expect(report.ok).toBe(false);
    expect(report.failure?.member).toBe(path);
  });

  it('exits 1 from the command line when a member was changed', async () => {
    const members = unpackZip(bundle);
    const path = [...members.keys()].find((p) => p.startsWith('receipts/')) as string;
    const bytes = Uint8Array.from(members.get(path) ?? []);
    bytes[bytes.length - 3] = bytes[bytes.length - 3] === 0x41 ? 0x42 : 0x41;
    members.set(path, bytes);
    const dir = mkdtempSync(join(tmpdir(), 'puente-evidence-'));
    writeFileSync(join(dir, 'changed.zip'), packZip(members));
    const result = await runNodeTool(dga, 'tools/evidence/verify-evidence.ts', [join(dir, 'changed.zip')]);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`FAILED at ${path}`);
  });

  it('detects a record from another conversation spliced in, listed or not', async () => {
    const other = unpackZip(new Uint8Array(await (await exportOver(dga, otherConversationId)).arrayBuffer()));
    const foreignPath = [...other.keys()].find((p) => p.startsWith('messages/')) as string;
    const foreign = other.get(foreignPath) as Uint8Array;

    // Added without touching the manifest: the manifest does not list it.
    const added = unpackZip(bundle);
    added.set('messages/999-sent-spliced.jws', foreign);
    const unlisted = await verifyEvidenceBundle(packZip(added));
    expect(unlisted.failure).toMatchObject({ member: 'messages/999-sent-spliced.jws' });

    // Added by the exporting node itself, manifest re-signed: the record names its own conversation.
    const otherManifest = JSON.parse(Buffer.from(other.get(MEMBER.manifest) ?? []).toString()) as Manifest;
    const members = unpackZip(bundle);
    const manifest = JSON.parse(Buffer.from(members.get(MEMBER.manifest) ?? []).toString()) as Manifest;
    const spliced = { ...otherManifest.messages[0]!, record: 'messages/999-sent-spliced.jws', payload: null };
    members.set('messages/999-sent-spliced.jws', foreign);
    const forged: Manifest = {
      ...manifest,
      messages: [...manifest.messages, spliced],
      members: [
        ...manifest.members,
        { path: 'messages/999-sent-spliced.jws', sha256: sha256Of(foreign), bytes: foreign.length },
      ],
    };
    await resignManifest(dga, members, forged);
    const report = await verifyEvidenceBundle(packZip(members));
    expect(report.failure?.member).toBe('messages/999-sent-spliced.jws');
    expect(report.failure?.problem).toContain(`belongs to conversation ${otherConversationId}`);
  });

  it('refuses a bundle signed with a key revoked before its export time', async () => {
    const members = unpackZip(bundle);
    const manifest = JSON.parse(Buffer.from(members.get(MEMBER.manifest) ?? []).toString()) as Manifest;
    // The history as of the export says the exporter's key was revoked a minute before it; the
    // manifest is signed with that key all the same (a thief holding it would do just that).
    const trust = JSON.parse(Buffer.from(members.get(MEMBER.trust) ?? []).toString()) as {
      parties: Record<string, { keys: Record<string, unknown>[] }>;
    };
    const key = trust.parties['sv-dga']!.keys.find((k) => k.kid === manifest.exportedBy.kid)!;
    key.revokedAt = new Date(new Date(manifest.exportedAt).getTime() - 60_000).toISOString();
    key.revocationReason = 'compromised';
    const trustBytes = Buffer.from(`${JSON.stringify(trust, null, 2)}\n`);
    members.set(MEMBER.trust, trustBytes);
    await resignManifest(dga, members, {
      ...manifest,
      members: manifest.members.map((m) =>
        m.path === MEMBER.trust ? { ...m, sha256: sha256Of(trustBytes), bytes: trustBytes.length } : m,
      ),
    });
    const report = await verifyEvidenceBundle(packZip(members));
    expect(report.failure?.member).toBe(MEMBER.manifestJws);
    expect(report.failure?.problem).toMatch(/revoked at .* before the export time/);
  });

  it('verifies one record with OpenSSL alone, as the README shows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'puente-openssl-'));
    for (const [path, bytes] of unpackZip(bundle)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const script = /<!-- evidence-openssl -->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(script).toBeDefined();
    const record = [...unpackZip(bundle).keys()].find((p) => p.startsWith('messages/')) as string;
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script as string], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', R: record },
    });
    expect(stdout).toContain('Signature Verified Successfully');
    // And the same procedure refuses a record whose payload was changed.
    const text = readFileSync(join(dir, record), 'utf8').split('.');
    text[1] = `${text[1]!.slice(0, 10)}${text[1]![10] === 'A' ? 'B' : 'A'}${text[1]!.slice(11)}`;
    writeFileSync(join(dir, record), text.join('.'));
    await expect(
      run('bash', ['-euo', 'pipefail', '-c', script as string], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', R: record },
      }),
    ).rejects.toThrow();
  });

  it('writes the same bundle from the command line, beside the running node', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'puente-evidence-')), 'cli.zip');
    const exported = await runNodeTool(dga, 'tools/evidence/export-evidence.ts', [
      '--conversation',
      conversationId,
      '--out',
      out,
      '--client',
      'court-clerk',
    ]);
    expect(exported.code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'puente-evidence-'));
    copyFileSync(out, join(dir, 'cli.zip'));
    const report = await verifyEvidenceBundle(readFileSync(join(dir, 'cli.zip')));
    expect(report.lines.join('\n')).toContain('RESULT: OK');
    expect(report.lines.join('\n')).toContain('client court-clerk');
  });

  it('leaves out payloads past their retention, listing their signatures and when they were redacted', async () => {
    // The node's own retention pass, run as if the CMAA's retention period were over for the case.
    const later = new Date(Date.now() + 3 * 86_400_000);
    const passes = await runRetention(dga.db, [{ id: 'cmaa-us-sv', retentionDays: 1 }], later);
    expect(passes[0]?.count.sent).toBeGreaterThanOrEqual(2);
    const res = await exportOver(dga, conversationId);
    expect(res.status).toBe(200);
    const redacted = new Uint8Array(await res.arrayBuffer());
    const members = unpackZip(redacted);
    const manifest = JSON.parse(Buffer.from(members.get(MEMBER.manifest) ?? []).toString()) as Manifest;
    expect(manifest.messages.every((m) => m.redactedAt === later.toISOString() && m.payload === null)).toBe(
      true,
    );
    expect(manifest.messages.every((m) => m.record?.endsWith('.detached.jws'))).toBe(true);
    expect([...members.keys()].some((p) => p.startsWith('payloads/'))).toBe(false);
    // No record keeps its payload (sealed or not); and the readable members — manifest, timeline,
    // audit segment — never held the case's contents: nothing of it is in the file.
    for (const [path, bytes] of members)
      if (path.startsWith('messages/')) expect(Buffer.from(bytes).toString().split('.')[1]).toBe('');
    const text = Buffer.from(redacted).toString('latin1');
    for (const secret of ['Mariscos del Pac', '0614-250518-101-3', 'DGA-2026-00417', 'frozen shrimp'])
      expect(text).not.toContain(secret);
    const report = await verifyEvidenceBundle(redacted);
    expect(report.ok).toBe(true);
    expect(report.lines.filter((l) => l.includes('payload removed by retention'))).toHaveLength(4);
    // The receipts still acknowledge the records the detached signatures belong to.
    expect(report.lines.filter((l) => /^Receipt for message .*ACCEPTED/.test(l))).toHaveLength(4);
  });
});

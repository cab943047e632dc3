import { agreementDocument, agreementSha256, canonicalJson } from '@app/agreements';
import { zipSync } from 'fflate';
import { MEMBER } from './bundle.format';
import { packZip, unpackZip } from './zip.container';
import { verifyEvidenceBundle } from './evidence-bundle.verifier';

describe('evidence bundle container and canonical texts', () => {
  it('writes agreements as canonical JSON: members sorted at every depth, dates as instants', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: new Date('2026-01-02T00:00:00Z') } })).toBe(
      '{"a":{"c":"2026-01-02T00:00:00.000Z","d":[2,{"e":0,"f":1}]},"b":1}',
    );
    const a = {
      id: 'x',
      title: 't',
      kind: 'mou' as const,
      parties: [],
      signedOn: new Date('2026-01-01T00:00:00Z'),
      channels: [],
      purposes: ['p'],
      onwardTransfer: 'prohibited' as const,
    };
    // The same agreement, members in another order, is the same text and the same hash.
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    expect(agreementSha256(agreementDocument(reordered))).toBe(agreementSha256(agreementDocument(a)));
  });

  it('stores members as they are and reads them back', () => {
    const members = new Map([
      [MEMBER.mimetype, new TextEncoder().encode('application/vnd.puente.evidence+zip')],
      ['messages/001.jws', new TextEncoder().encode('a.b.c')],
    ]);
    const zip = packZip(members);
    // Stored, not compressed: the member's bytes appear in the file as they are.
    expect(Buffer.from(zip).includes(Buffer.from('a.b.c'))).toBe(true);
    expect(unpackZip(zip)).toEqual(members);
  });

  it('refuses what is not a bundle with the container named, never throwing', async () => {
    for (const bytes of [new Uint8Array(0), new TextEncoder().encode('PK not a zip at all')]) {
      const report = await verifyEvidenceBundle(bytes);
      expect(report.ok).toBe(false);
      expect(report.failure?.member).toBe('(container)');
    }
    const escaping = packZip(new Map([['../outside.txt', new Uint8Array([1])]]));
    expect((await verifyEvidenceBundle(escaping)).failure?.problem).toMatch(/not a plain relative path/);
    // A compressed member (a zip bomb's way in) is refused before it is inflated.
    const bomb = zipSync({ 'messages/001.jws': [new Uint8Array(1_000_000), { level: 9 }] });
    expect((await verifyEvidenceBundle(bomb)).failure?.problem).toMatch(/is compressed/);
    const bare = packZip(new Map([[MEMBER.mimetype, new TextEncoder().encode('text/plain')]]));
    expect((await verifyEvidenceBundle(bare)).failure?.member).toBe(MEMBER.mimetype);
  });

  it('refuses a manifest whose third party or consents are not what the format says, naming the manifest', async () => {
    const manifest = (extra: Record<string, unknown>) =>
      packZip(
        new Map([
          [MEMBER.mimetype, new TextEncoder().encode('application/vnd.puente.evidence+zip')],
          [
            MEMBER.manifest,
            new TextEncoder().encode(
              JSON.stringify({
                format: 'puente-evidence/1',
                conversationId: 'c',
                exportedAt: '2026-01-01T00:00:00Z',
                exportedBy: {},
                audit: {},
                keys: {},
                members: [],
                messages: [],
                receipts: [],
                agreements: [],
                timeline: [],
                ...extra,
              }),
            ),
          ],
        ]),
      );
    for (const extra of [
      { exportedFor: 7 },
      { consents: 'all of them' },
      { consents: [{ messageId: 'm', conditions: 'none' }] },
      {
        consents: [
          {
            messageId: 'm',
            provider: {},
            recipientOrUse: 'x',
            requestId: 'r',
            decisionId: 'd',
            decidedAt: 't',
            conditions: [],
          },
        ],
      },
    ]) {
      const report = await verifyEvidenceBundle(manifest(extra));
      expect(report.failure?.member).toBe(MEMBER.manifest);
    }
  });
});

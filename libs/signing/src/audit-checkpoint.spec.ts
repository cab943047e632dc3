import { checkAuditCheckpoint, isAuditCheckpointRecord, signAuditCheckpoint } from './audit-checkpoint';
import { signKeyEvent } from './key-event';
import { keysFixture, type KeysFixture, ownOf, removeDir } from './signing.test-fixture';

describe('audit checkpoints', () => {
  let keys: KeysFixture;
  beforeAll(async () => {
    keys = await keysFixture(['sv-dga', 'us-cbp']);
  });
  afterAll(() => removeDir(keys?.dir));
  const checkpoint = { party: 'sv-dga', seq: 42, hash: 'a'.repeat(64), at: new Date('2026-12-01T00:00:00Z') };

  it('is signed by its party and checked against the trust store', async () => {
    const jws = await signAuditCheckpoint(checkpoint, ownOf(keys, 'sv-dga').signing);
    expect(isAuditCheckpointRecord(jws)).toBe(true);
    expect(await checkAuditCheckpoint(jws, keys.trust)).toEqual({
      ok: true,
      checkpoint,
      kid: ownOf(keys, 'sv-dga').signing.kid,
    });
  });

  it("refuses one signed by another party's key, and things that are not checkpoints", async () => {
    const forged = await signAuditCheckpoint(checkpoint, ownOf(keys, 'us-cbp').signing);
    expect(await checkAuditCheckpoint(forged, keys.trust)).toMatchObject({
      ok: false,
      reason: 'KEY_NOT_OWNED_BY_SENDER',
    });
    const event = await signKeyEvent(
      {
        action: 'retire',
        party: 'sv-dga',
        kid: ownOf(keys, 'sv-dga').signing.kid,
        at: new Date(),
        issuedAt: new Date(),
      },
      ownOf(keys, 'sv-dga').signing,
    );
    expect(isAuditCheckpointRecord(event)).toBe(false);
    expect(await checkAuditCheckpoint(event, keys.trust)).toMatchObject({
      ok: false,
      reason: 'MALFORMED_RECORD',
    });
    const badHash = await signAuditCheckpoint(
      { ...checkpoint, hash: 'not-a-hash' },
      ownOf(keys, 'sv-dga').signing,
    );
    expect(await checkAuditCheckpoint(badHash, keys.trust)).toMatchObject({
      ok: false,
      reason: 'MALFORMED_RECORD',
    });
  });
});

import { compareHeldWithPresented, compareWithPublished } from './checkpoint.comparison';

const h = (c: string) => c.repeat(64);

describe('audit checkpoints compared', () => {
  it('agrees when every published entry still has its hash, and names the first that does not', () => {
    const local = new Map([
      [10, h('a')],
      [20, h('b')],
      [30, h('c')],
    ]);
    const published = [
      { seq: 20, hash: h('b') },
      { seq: 10, hash: h('a') },
      { seq: 30, hash: h('c') },
    ];
    expect(compareWithPublished(local, 35, published)).toEqual({ ok: true, checkpoints: 3, lastSeq: 30 });
    const rewritten = new Map([...local, [20, h('x')], [30, h('y')]]);
    expect(compareWithPublished(rewritten, 35, published)).toMatchObject({
      ok: false,
      seq: 20,
      detail: expect.stringContaining('entry 10 still agrees') as string,
    });
    expect(compareWithPublished(new Map([[10, h('a')]]), 12, published)).toMatchObject({
      ok: false,
      seq: 20,
      detail: expect.stringContaining('the chain ends at 12') as string,
    });
  });

  it('sets aside checkpoints of a history a restore from backup discarded, and still checks the rest', () => {
    const restoredAt = new Date('2026-12-01T12:00:00Z');
    const before = new Date('2026-12-01T11:00:00Z');
    const after = new Date('2026-12-01T13:00:00Z');
    const published = [
      { seq: 10, hash: h('a'), at: before },
      { seq: 20, hash: h('o'), at: before }, // past the backup, published before the restore: discarded
      { seq: 20, hash: h('n'), at: after },
    ];
    const local = new Map([
      [10, h('a')],
      [20, h('n')],
    ]);
    const restores = [{ backupSeq: 12, at: restoredAt }];
    expect(compareWithPublished(local, 25, published, restores)).toEqual({
      ok: true,
      checkpoints: 2,
      lastSeq: 20,
      superseded: 1,
    });
    // Without the restore entry, the same chain is a rewrite.
    expect(compareWithPublished(local, 25, published)).toMatchObject({ ok: false, seq: 20 });
  });

  it('holds a peer to its checkpoints: a changed, withdrawn or doubled entry is named', () => {
    const held = [
      { seq: 10, hash: h('a') },
      { seq: 20, hash: h('b') },
    ];
    expect(compareHeldWithPresented(held, [...held, { seq: 30, hash: h('c') }])).toEqual({
      ok: true,
      checkpoints: 2,
      lastSeq: 20,
    });
    expect(compareHeldWithPresented(held, [held[0]!, { seq: 20, hash: h('x') }])).toMatchObject({
      ok: false,
      seq: 20,
    });
    expect(compareHeldWithPresented(held, [held[1]!])).toMatchObject({ ok: false, seq: 10 });
    expect(compareHeldWithPresented(held, [...held, { seq: 10, hash: h('z') }])).toMatchObject({
      ok: false,
      seq: 10,
      detail: expect.stringContaining('2 different hashes') as string,
    });
  });
});

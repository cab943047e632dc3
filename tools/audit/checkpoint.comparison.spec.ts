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

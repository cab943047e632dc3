import { isUuid, uuidv7 } from './uuid';

describe('uuidv7', () => {
  it('gives distinct, well-formed, ordered ids across many refills of its random pool', () => {
    // 4 KiB pool, 16–18 bytes an id: 20,000 ids draw it about 90 times over.
    const ids = Array.from({ length: 20_000 }, () => uuidv7());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => isUuid(id) && id[14] === '7' && '89ab'.includes(id[19] ?? ''))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });

  it('keeps the random part random: no two ids of one millisecond share it', () => {
    const at = Date.now() + 60_000;
    const tails = Array.from({ length: 1000 }, () => uuidv7(at).slice(19));
    expect(new Set(tails).size).toBe(tails.length);
  });
});

import { EventRing } from './event.ring';

describe('EventRing', () => {
  it('keeps items oldest first and hands back the oldest when full', () => {
    const ring = new EventRing<number>(3);
    expect([ring.push(1), ring.push(2), ring.push(3)]).toEqual([undefined, undefined, undefined]);
    expect(ring.push(4)).toBe(1);
    expect(ring.push(5)).toBe(2);
    expect([...ring]).toEqual([3, 4, 5]);
    expect(ring.size).toBe(3);
  });

  it('shifts from the oldest end and wraps around the array', () => {
    const ring = new EventRing<string>(2);
    ring.push('a');
    ring.push('b');
    expect(ring.shift()).toBe('a');
    ring.push('c');
    expect(ring.oldest()).toBe('b');
    expect([...ring]).toEqual(['b', 'c']);
    expect(ring.shift()).toBe('b');
    expect(ring.shift()).toBe('c');
    expect(ring.shift()).toBeUndefined();
    expect(ring.size).toBe(0);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new EventRing(0)).toThrow(RangeError);
  });
});

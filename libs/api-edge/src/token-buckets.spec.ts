import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('admits a burst, then asks the caller to wait until a token is back', () => {
    const buckets = new TokenBuckets(2, 3, 100, clock);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(1);
    now += 499;
    expect(buckets.take('a')).toBe(1);
    now += 1;
    expect(buckets.take('a')).toBe(0);
    // Another key has its own bucket.
    expect(buckets.take('b')).toBe(0);
  });

  it('says how many whole seconds to wait at a slow rate', () => {
    const buckets = new TokenBuckets(0.1, 1, 100, clock);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(10);
  });

  it('never holds more than its cap of keys, dropping the least recently used', () => {
    const buckets = new TokenBuckets(1, 5, 100, clock);
    for (let i = 0; i < 10_000; i++) buckets.take(`addr-${i}`);
    expect(buckets.size).toBe(100);
  });

  it('drops buckets idle long enough to be full again', () => {
    const buckets = new TokenBuckets(10, 20, 100, clock);
    for (let i = 0; i < 50; i++) buckets.take(`addr-${i}`);
    now += 2_000;
    buckets.take('fresh');
    expect(buckets.size).toBe(1);
  });
});

import { LinkAggregator } from './link.aggregator';
import { enrichedRoundTrip, refusedSubmit, roundTrip, stored, T0 } from './flow-events.test-fixture';

describe('LinkAggregator', () => {
  it('counts each stage of a round trip on the sender → recipient link, ignoring the receipt', () => {
    const links = new LinkAggregator();
    for (const e of enrichedRoundTrip('m1', T0)) links.add(stored(e), T0 + 1_000);
    const [link, ...others] = links.view(T0 + 1_000);
    expect(others).toHaveLength(0);
    expect(link).toMatchObject({
      from: 'sv-dga',
      to: 'us-cbp',
      agreementId: 'cmaa-us-sv',
      sent: 1,
      published: 1,
      received: 1,
      delivered: 1,
      refused: 0,
      rejected: 0,
      failed: 0,
      lastAt: new Date(T0 + 180).toISOString(),
    });
  });

  it('keeps refusals on their own link and direction', () => {
    const links = new LinkAggregator();
    links.add(stored(refusedSubmit(T0)), T0);
    expect(links.view(T0)).toEqual([
      expect.objectContaining({ from: 'us-cbp', to: 'sv-dga', refused: 1, sent: 0 }),
    ]);
  });

  it('reports the sending rate over the last 1 and 5 minutes', () => {
    const links = new LinkAggregator();
    const now = T0 + 300_000;
    for (let i = 0; i < 30; i++) links.add(stored(roundTrip(`a${i}`, now - 30_000 + i * 1_000)[0]!), now); // 30 in the last minute
    for (let i = 0; i < 60; i++) links.add(stored(roundTrip(`b${i}`, now - 240_000 + i * 1_000)[0]!), now); // 60 more within 5 min
    const [link] = links.view(now);
    expect(link?.sent).toBe(90);
    expect(link?.sentPerSecond.last1m).toBeCloseTo(30 / 60);
    expect(link?.sentPerSecond.last5m).toBeCloseTo(90 / 300);
  });

  it('un-counts evicted events and drops a link that no longer holds any', () => {
    const links = new LinkAggregator();
    const events = enrichedRoundTrip('m1', T0).map(stored);
    for (const s of events) links.add(s, T0);
    events.slice(0, 2).forEach((s) => links.remove(s));
    expect(links.view(T0)[0]).toMatchObject({ sent: 0, published: 0, received: 1, delivered: 1 });
    events.slice(2).forEach((s) => links.remove(s));
    expect(links.view(T0)).toEqual([]);
  });
});

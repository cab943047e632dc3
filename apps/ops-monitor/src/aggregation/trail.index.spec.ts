import { event, roundTrip, stored, T0 } from './flow-events.test-fixture';
import { TrailIndex } from './trail.index';

describe('TrailIndex', () => {
  it('gives a message its stages across both nodes in time order, with the time between them', () => {
    const index = new TrailIndex();
    // Arrival order differs from event order: each node's events come in their own batches.
    const [submit, publish, receive, , settle] = roundTrip('m1', T0);
    for (const e of [receive!, submit!, settle!, publish!]) index.add(stored(e));

    const trail = index.byMessage('m1');
    expect(trail.map((s) => [s.node, s.stage, s.outcome])).toEqual([
      ['sv-dga', 'submit', 'OK'],
      ['sv-dga', 'publish', 'OK'],
      ['us-cbp', 'receive', 'OK'],
      ['sv-dga', 'settle', 'ACCEPTED'],
    ]);
    expect(trail.map((s) => s.sincePreviousMs)).toEqual([null, 40, 50, 90]);
    expect(trail.map((s) => s.sinceFirstMs)).toEqual([0, 40, 90, 180]);
  });

  it('gathers a conversation from every message in it, including publish events without a conversation id', () => {
    const index = new TrailIndex();
    for (const e of roundTrip('req', T0)) index.add(stored(e));
    const reply = roundTrip('resp', T0 + 5_000).map((e) =>
      e.conversationId ? { ...e, conversationId: 'req', node: e.node === 'sv-dga' ? 'us-cbp' : 'sv-dga' } : e,
    );
    for (const e of reply) index.add(stored(e));
    for (const e of roundTrip('other', T0)) index.add(stored(e));

    const trail = index.byConversation('req');
    // Grouped by message, in the order the messages started; +Δ restarts with each message.
    expect(trail.map((s) => `${s.messageId}:${s.stage}`)).toEqual([
      'req:submit',
      'req:publish',
      'req:receive',
      'req:settle',
      'resp:submit',
      'resp:publish',
      'resp:receive',
      'resp:settle',
    ]);
    expect(trail[4]).toMatchObject({ sincePreviousMs: null, sinceFirstMs: 5_000 });
    expect(trail.filter((s) => s.stage === 'publish')).toHaveLength(2);
    expect(index.known('resp')).toMatchObject({ conversationId: 'req', agreementId: 'cmaa-us-sv' });
  });

  it('keeps pipeline order when the publish is stamped after the peer received the record', () => {
    const index = new TrailIndex();
    // The relay stamps a publish at the broker's acknowledgement; on loopback the peer is faster.
    index.add(stored(event('submit', T0, { messageId: 'fast' })));
    index.add(stored(event('receive', T0 + 25, { messageId: 'fast', node: 'us-cbp' })));
    index.add(stored(event('publish', T0 + 30, { messageId: 'fast' })));
    index.add(stored(event('settle', T0 + 60, { messageId: 'fast', outcome: 'ACCEPTED' })));
    const trail = index.byMessage('fast');
    expect(trail.map((s) => s.stage)).toEqual(['submit', 'publish', 'receive', 'settle']);
    expect(trail.map((s) => s.sincePreviousMs)).toEqual([null, 30, -5, 35]);
  });

  it('orders same-millisecond events by pipeline stage', () => {
    const index = new TrailIndex();
    index.add(stored(event('settle', T0, { messageId: 'x', outcome: 'ACCEPTED' })));
    index.add(stored(event('submit', T0, { messageId: 'x' })));
    expect(index.byMessage('x').map((s) => s.stage)).toEqual(['submit', 'settle']);
  });

  it('forgets a message and its conversation with their last evicted event', () => {
    const index = new TrailIndex();
    const events = roundTrip('m1', T0).map(stored);
    events.forEach((s) => index.add(s));
    events.forEach((s) => index.remove(s));
    expect(index.byMessage('m1')).toEqual([]);
    expect(index.byConversation('m1')).toEqual([]);
    expect(index.known('m1')).toBeUndefined();
  });
});

import { NodeHealthBoard } from './node-health.board';

describe('NodeHealthBoard', () => {
  const nodes = [
    { party: 'sv-dga', url: 'http://127.0.0.1:7103' },
    { party: 'us-cbp', url: 'http://127.0.0.1:7101' },
    { party: 'mx-anam', url: 'http://127.0.0.1:7105' },
  ];

  it('shows each node’s state, backlog and lag from its latest poll', () => {
    const board = new NodeHealthBoard(nodes, 10_000);
    board.record('sv-dga', {
      polledAtMs: 1_000,
      responseMs: 12,
      reachable: true,
      status: 'ready',
      failingChecks: [],
      outboxBacklog: 3,
      metrics: { outboxBacklog: 2, inboxConsumerLag: 7, awaitingReceipt: 4, dlqDepth: 0 },
    });
    board.record('us-cbp', {
      polledAtMs: 1_000,
      responseMs: 8,
      reachable: true,
      status: 'not-ready',
      failingChecks: ['inboxConsumer'],
      outboxBacklog: 0,
    });
    const [dga, cbp, anam] = board.view(2_000);
    expect(dga).toMatchObject({
      state: 'ready',
      outboxBacklog: 3,
      inboxConsumerLag: 7,
      awaitingReceipt: 4,
      dlqDepth: 0,
      metricsAvailable: true,
      lastPolledAt: new Date(1_000).toISOString(),
    });
    expect(cbp).toMatchObject({
      state: 'not-ready',
      failingChecks: ['inboxConsumer'],
      inboxConsumerLag: null,
      metricsAvailable: false,
    });
    expect(anam).toMatchObject({ party: 'mx-anam', state: 'unknown', lastPolledAt: null });
  });

  it('marks a node unreachable, and any node stale when its last poll is too old', () => {
    const board = new NodeHealthBoard(nodes.slice(0, 1), 10_000);
    board.record('sv-dga', {
      polledAtMs: 0,
      responseMs: 2_000,
      reachable: false,
      failingChecks: [],
      error: 'timeout',
    });
    expect(board.view(1_000)[0]).toMatchObject({ state: 'unreachable', error: 'timeout' });
    expect(board.view(20_000)[0]?.state).toBe('stale');
  });
});

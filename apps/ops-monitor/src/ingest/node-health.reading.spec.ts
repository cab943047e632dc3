import { readHealth, readMetrics } from './node-health.reading';

describe('readHealth', () => {
  it('reads a ready node', () => {
    const body = JSON.stringify({
      status: 'ready',
      party: 'us-cbp',
      outboxBacklog: 2,
      checks: { database: { ok: true }, inboxConsumer: { ok: true } },
    });
    expect(readHealth(200, body)).toEqual({
      reachable: true,
      status: 'ready',
      failingChecks: [],
      outboxBacklog: 2,
    });
  });

  it('names the failing checks of a node that is not ready (503 with a body)', () => {
    const body = JSON.stringify({
      status: 'not-ready',
      checks: { database: { ok: false, detail: 'down' }, agreements: { ok: true } },
    });
    expect(readHealth(503, body)).toEqual({
      reachable: true,
      status: 'not-ready',
      failingChecks: ['database'],
    });
  });

  it('treats an answer that is not the health JSON as unreachable', () => {
    expect(readHealth(502, '<html>bad gateway</html>')).toMatchObject({
      reachable: false,
      error: 'GET /health answered 502 without JSON',
    });
    expect(readHealth(200, '{}')).toMatchObject({ reachable: false });
  });
});

describe('readMetrics', () => {
  it('picks the backlog, lag, awaiting-receipt and DLQ gauges', () => {
    const text = [
      'puente_outbox_backlog{party="us-cbp"} 1',
      'puente_inbox_consumer_lag{party="us-cbp"} 12',
      'puente_awaiting_receipt{party="us-cbp"} 3',
      'puente_messages_total{party="us-cbp",direction="outbound"} 40',
    ].join('\n');
    expect(readMetrics(text)).toEqual({ outboxBacklog: 1, inboxConsumerLag: 12, awaitingReceipt: 3 });
  });
});

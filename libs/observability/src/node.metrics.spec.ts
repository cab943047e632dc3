import { NodeMetrics } from './node.metrics';

describe('NodeMetrics', () => {
  it('counts messages and refusals by reason, and times end-to-end delivery, from flow events', async () => {
    const metrics = new NodeMetrics('sv-dga');
    const at = '2026-01-01T00:00:00Z';
    metrics.observe({
      at,
      node: 'sv-dga',
      stage: 'submit',
      outcome: 'OK',
      type: 'T',
      agreementId: 'cmaa-us-sv',
      recipient: 'us-cbp',
      durationMs: 4,
    });
    metrics.observe({
      at,
      node: 'sv-dga',
      stage: 'submit',
      outcome: 'TYPE_NOT_PERMITTED',
      type: 'T',
      recipient: 'mx-anam',
    });
    metrics.observe({ at, node: 'sv-dga', stage: 'receive', outcome: 'BAD_SIGNATURE', sender: 'us-cbp' });
    metrics.observe({
      at,
      node: 'sv-dga',
      stage: 'settle',
      outcome: 'ACCEPTED',
      type: 'T',
      recipient: 'us-cbp',
      endToEndMs: 120,
    });
    metrics.gauge('puente_outbox_backlog', 'rows waiting', () => Promise.resolve(7));
    const text = await metrics.text();
    expect(text).toMatch(
      /puente_messages_total\{direction="outbound",type="T",agreement="cmaa-us-sv",peer="us-cbp",outcome="OK",party="sv-dga"\} 1/,
    );
    expect(text).toMatch(
      /puente_refusals_total\{side="sender",reason="TYPE_NOT_PERMITTED",party="sv-dga"\} 1/,
    );
    expect(text).toMatch(/puente_refusals_total\{side="receiver",reason="BAD_SIGNATURE",party="sv-dga"\} 1/);
    expect(text).toMatch(
      /puente_end_to_end_seconds_bucket\{le="0.25",party="sv-dga",type="T",peer="us-cbp"\} 1/,
    );
    expect(text).toMatch(
      /puente_end_to_end_seconds_bucket\{le="0.1",party="sv-dga",type="T",peer="us-cbp"\} 0/,
    );
    expect(text).toMatch(/puente_outbox_backlog\{party="sv-dga"\} 7/);
  });
});

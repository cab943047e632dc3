import { MessageType } from '@app/contracts';
import { NodeMetrics } from './node.metrics';

const T = MessageType.AssistanceRequest;
const labels = { parties: ['sv-dga', 'us-cbp', 'mx-anam'], agreements: ['cmaa-us-sv'] };

describe('NodeMetrics', () => {
  it('counts messages and refusals by reason, and times end-to-end delivery, from flow events', async () => {
    const metrics = new NodeMetrics('sv-dga', { labels });
    const at = '2026-01-01T00:00:00Z';
    metrics.observe({
      at,
      node: 'sv-dga',
      stage: 'submit',
      outcome: 'OK',
      type: T,
      agreementId: 'cmaa-us-sv',
      recipient: 'us-cbp',
      durationMs: 4,
    });
    metrics.observe({
      at,
      node: 'sv-dga',
      stage: 'submit',
      outcome: 'TYPE_NOT_PERMITTED',
      type: T,
      recipient: 'mx-anam',
    });
    metrics.observe({ at, node: 'sv-dga', stage: 'receive', outcome: 'BAD_SIGNATURE', sender: 'us-cbp' });
    metrics.observe({
      at,
      node: 'sv-dga',
      stage: 'settle',
      outcome: 'ACCEPTED',
      type: T,
      recipient: 'us-cbp',
      endToEndMs: 120,
    });
    metrics.gauge('puente_outbox_backlog', 'rows waiting', () => Promise.resolve(7));
    const text = await metrics.text();
    expect(text).toMatch(
      new RegExp(
        String.raw`puente_messages_total\{direction="outbound",type="${T}",agreement="cmaa-us-sv",peer="us-cbp",outcome="OK",party="sv-dga"\} 1`,
      ),
    );
    expect(text).toMatch(
      /puente_refusals_total\{side="sender",reason="TYPE_NOT_PERMITTED",party="sv-dga"\} 1/,
    );
    expect(text).toMatch(/puente_refusals_total\{side="receiver",reason="BAD_SIGNATURE",party="sv-dga"\} 1/);
    expect(text).toMatch(
      new RegExp(
        String.raw`puente_end_to_end_seconds_bucket\{le="0.25",party="sv-dga",type="${T}",peer="us-cbp"\} 1`,
      ),
    );
    expect(text).toMatch(
      new RegExp(
        String.raw`puente_end_to_end_seconds_bucket\{le="0.1",party="sv-dga",type="${T}",peer="us-cbp"\} 0`,
      ),
    );
    expect(text).toMatch(/puente_outbox_backlog\{party="sv-dga"\} 7/);
  });

  it('labels only catalog parties, agreements, types and reason codes: forged values are unknown, NUL never shows', async () => {
    const metrics = new NodeMetrics('sv-dga', { labels });
    const at = '2026-01-01T00:00:00Z';
    for (let i = 0; i < 200; i++)
      metrics.observe({
        at,
        node: 'sv-dga',
        stage: 'dead-letter',
        outcome: i % 2 ? 'BAD_SIGNATURE' : `MADE_UP_${i}`,
        sender: `zz-forged${i}\u0000`,
        type: `type-${i}\u0000`,
        agreementId: `agr-${i}`,
      });
    const text = await metrics.text();
    expect(text).not.toContain('\u0000');
    expect(text).not.toContain('forged');
    expect(text).not.toContain('MADE_UP');
    const series = text.split('\n').filter((l) => l.startsWith('puente_messages_total{'));
    expect(series).toEqual([
      'puente_messages_total{direction="inbound",type="unknown",agreement="unknown",peer="unknown",outcome="unknown",party="sv-dga"} 100',
      'puente_messages_total{direction="inbound",type="unknown",agreement="unknown",peer="unknown",outcome="BAD_SIGNATURE",party="sv-dga"} 100',
    ]);
  });
});

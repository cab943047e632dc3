import { parsePrometheusText } from './prometheus-text.parser';

describe('parsePrometheusText', () => {
  it('reads gauges with and without labels, summing label sets and skipping comments', () => {
    const text = [
      '# HELP puente_outbox_backlog Outbox records not yet acknowledged by the broker',
      '# TYPE puente_outbox_backlog gauge',
      'puente_outbox_backlog{party="sv-dga"} 4',
      'puente_inbox_consumer_lag{party="sv-dga",note="a } b \\" c"} 2 1700000000000',
      'puente_inbox_consumer_lag{party="sv-dga",note="other"} 3',
      'puente_node_process_start_time_seconds 1700000000',
      'puente_broken{party="x"} NaN',
      '',
    ].join('\n');
    const values = parsePrometheusText(text);
    expect(values.get('puente_outbox_backlog')).toBe(4);
    expect(values.get('puente_inbox_consumer_lag')).toBe(5);
    expect(values.get('puente_node_process_start_time_seconds')).toBe(1_700_000_000);
    expect(values.has('puente_broken')).toBe(false);
  });
});

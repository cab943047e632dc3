import { FlowEventsPublisher, type FlowEventSink } from './flow-events.publisher';
import type { FlowEvent } from './flow-event';

describe('FlowEventsPublisher', () => {
  const event = (messageId: string): FlowEvent => ({
    at: '2026-01-01T00:00:00Z',
    node: 'us-cbp',
    stage: 'receive',
    outcome: 'OK',
    messageId,
  });

  it('publishes buffered events in one batch to the ops topic, with only metadata keys', async () => {
    const sent: { topic: string; values: string[] }[] = [];
    const sink: FlowEventSink = {
      send: (topic, records) =>
        Promise.resolve(void sent.push({ topic, values: records.map((r) => r.value) })),
    };
    const publisher = new FlowEventsPublisher(sink);
    publisher.emit(event('a'));
    // A careless caller smuggling payload contents into an event: the allow-list drops them.
    const careless: FlowEvent = Object.assign(event('b'), { payload: { surname: 'GARCIA' } });
    publisher.emit(careless);
    await publisher.flush();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.topic).toBe('puente.ops.flow');
    expect(sent[0]?.values).toHaveLength(2);
    expect(sent[0]?.values.join('')).not.toContain('GARCIA');
    expect(publisher.published).toBe(2);
  });

  it('drops and counts a batch the broker refused instead of blocking the pipeline', async () => {
    const dropped: number[] = [];
    const sink: FlowEventSink = { send: () => Promise.reject(new Error('broker down')) };
    const publisher = new FlowEventsPublisher(sink, {
      flushIntervalMs: 1000,
      maxBuffered: 10,
      onDropped: (n) => dropped.push(n),
    });
    publisher.emit(event('a'));
    await publisher.flush();
    expect(publisher.dropped).toBe(1);
    expect(dropped).toEqual([1]);
  });
});

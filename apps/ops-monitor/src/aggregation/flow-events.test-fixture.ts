import type { FlowEvent, FlowStage } from '@app/observability';
import type { StoredEvent } from './stored-event';

/** Hand-made flow streams for the aggregation specs: what two nodes publish for one message. */
export const T0 = Date.parse('2026-03-02T10:00:00.000Z');
export const iso = (ms: number) => new Date(ms).toISOString();
export const REQUEST = 'puente.customs_offense.v1.AssistanceRequest';
export const RECEIPT = 'puente.common.v1.Receipt';

let seq = 0;
export function stored(event: FlowEvent): StoredEvent {
  return { event, atMs: Date.parse(event.at), seq: seq++ };
}

export function event(stage: FlowStage, atMs: number, rest: Partial<FlowEvent> = {}): FlowEvent {
  return { at: iso(atMs), node: 'sv-dga', stage, outcome: 'OK', ...rest };
}

/**
 * sv-dga asks us-cbp under the CMAA: submit and publish on sv-dga, receive (and the receipt's
 * publish) on us-cbp, settle on sv-dga. Publish events carry no conversation or agreement, as the
 * node's outbox relay emits them.
 */
export function roundTrip(
  messageId: string,
  startMs: number,
  options: { settle?: boolean } = {},
): FlowEvent[] {
  const meta = { messageId, type: REQUEST, sender: 'sv-dga', recipient: 'us-cbp' };
  const full = { ...meta, conversationId: messageId, agreementId: 'cmaa-us-sv' };
  const events: FlowEvent[] = [
    event('submit', startMs, { ...full, durationMs: 12, sizeBytes: 2400 }),
    event('publish', startMs + 40, { ...meta, durationMs: 5, sizeBytes: 2400 }),
    event('receive', startMs + 90, { ...full, node: 'us-cbp', durationMs: 30, sizeBytes: 2400 }),
    event('publish', startMs + 130, {
      node: 'us-cbp',
      messageId: `${messageId}-receipt`,
      type: RECEIPT,
      sender: 'us-cbp',
      recipient: 'sv-dga',
      durationMs: 4,
    }),
  ];
  if (options.settle !== false) {
    events.push(
      event('settle', startMs + 180, { ...full, outcome: 'ACCEPTED', durationMs: 8, endToEndMs: 180 }),
    );
  }
  return events;
}

/** us-cbp tries to send to sv-dga for a purpose the CMAA does not cover: refused at submit, nothing published. */
export function refusedSubmit(atMs: number): FlowEvent {
  return event('submit', atMs, {
    node: 'us-cbp',
    outcome: 'PURPOSE_NOT_PERMITTED',
    type: REQUEST,
    sender: 'us-cbp',
    recipient: 'sv-dga',
    agreementId: 'cmaa-us-sv',
    rule: 'purpose',
    durationMs: 3,
  });
}

/** The round trip as the monitor stores it: publish events completed from the message's earlier events. */
export function enrichedRoundTrip(
  messageId: string,
  startMs: number,
  options: { settle?: boolean } = {},
): FlowEvent[] {
  return roundTrip(messageId, startMs, options).map((e) =>
    e.type === RECEIPT ? e : { conversationId: messageId, agreementId: 'cmaa-us-sv', ...e },
  );
}

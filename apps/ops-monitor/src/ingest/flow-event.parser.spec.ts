import { parseFlowEvent } from './flow-event.parser';

const valid = {
  at: '2026-03-02T10:00:00.000Z',
  node: 'sv-dga',
  stage: 'submit',
  outcome: 'OK',
  messageId: '0195a3c4-7f00-7000-8000-000000000001',
  conversationId: '0195a3c4-7f00-7000-8000-000000000001',
  type: 'puente.customs_offense.v1.AssistanceRequest',
  agreementId: 'cmaa-us-sv',
  sender: 'sv-dga',
  recipient: 'us-cbp',
  rule: 'payload.subjects.goods[0].hsCode',
  sizeBytes: 2400,
  durationMs: 12,
};

describe('parseFlowEvent', () => {
  it('reads a flow event published by a node', () => {
    expect(parseFlowEvent(Buffer.from(JSON.stringify(valid)))).toEqual({ ok: true, event: valid });
  });

  it('keeps only the FlowEvent keys: anything else in the record never reaches the dashboard', () => {
    const parsed = parseFlowEvent(JSON.stringify({ ...valid, payload: { name: 'Ana' }, subject: 'x' }));
    expect(parsed.ok && Object.keys(parsed.event)).toEqual(Object.keys(valid));
  });

  it('leaves out a rule that is not a path (it could be a value) but keeps the event', () => {
    const parsed = parseFlowEvent(JSON.stringify({ ...valid, rule: 'name was Ana María López' }));
    expect(parsed.ok && parsed.event.rule).toBeUndefined();
    expect(parsed.ok && parsed.event.messageId).toBe(valid.messageId);
  });

  it.each([
    [null, 'empty record'],
    ['', 'empty record'],
    ['{not json', 'not JSON'],
    ['[1,2]', 'not a JSON object'],
    [JSON.stringify({ ...valid, at: 'yesterday' }), 'at is not a timestamp'],
    [JSON.stringify({ ...valid, node: undefined }), 'node is missing or malformed'],
    [JSON.stringify({ ...valid, stage: 'teleport' }), 'stage is not a known stage'],
    [JSON.stringify({ ...valid, outcome: 'ok; drop table' }), 'outcome is not a code'],
    [JSON.stringify({ ...valid, sender: '<script>alert(1)</script>' }), 'sender is malformed'],
    [JSON.stringify({ ...valid, messageId: 42 }), 'messageId is malformed'],
    [JSON.stringify({ ...valid, durationMs: -1 }), 'durationMs is not a non-negative number'],
    ['x'.repeat(20_000), 'record larger than 16384 bytes'],
  ])('reports %s as invalid: %s', (value, problem) => {
    expect(parseFlowEvent(value)).toEqual({ ok: false, problem });
  });
});

import { MonitorError } from '../shared/monitor.error';
import { parseTrailQuery } from './trail.query';

describe('parseTrailQuery', () => {
  const id = '0195a3c4-7f00-7000-8000-000000000001';

  it('takes a message id or a conversation id, trimmed', () => {
    expect(parseTrailQuery({ messageId: ` ${id} ` })).toEqual({ messageId: id });
    expect(parseTrailQuery({ conversationId: id })).toEqual({ conversationId: id });
  });

  it.each([
    [{}, 'give exactly one of messageId or conversationId'],
    [{ messageId: id, conversationId: id }, 'give exactly one of messageId or conversationId'],
    [{ messageId: '<b>' }, 'an id is 1-64 letters, digits or dashes'],
    [{ messageId: 'x'.repeat(65) }, 'an id is 1-64 letters, digits or dashes'],
    [{ messageId: [id, id] }, 'give each parameter once'],
  ])('refuses %j with 400', (query, message) => {
    let error: unknown;
    try {
      parseTrailQuery(query);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MonitorError);
    expect(error).toMatchObject({ status: 400, code: 'SCHEMA_INVALID', message });
  });
});

import type { TrailQuery } from '../aggregation/flow.monitor';
import { MonitorError } from '../shared/monitor.error';

const ID = /^[0-9A-Za-z-]{1,64}$/;

/** `?messageId=…` or `?conversationId=…`, exactly one, shaped like an id (UUIDv7 on the wire). */
export function parseTrailQuery(query: Readonly<Record<string, unknown>>): TrailQuery {
  const messageId = text(query.messageId);
  const conversationId = text(query.conversationId);
  if ((messageId === undefined) === (conversationId === undefined))
    throw new MonitorError('SCHEMA_INVALID', 400, 'give exactly one of messageId or conversationId');
  const id = (messageId ?? conversationId) as string;
  if (!ID.test(id)) throw new MonitorError('SCHEMA_INVALID', 400, 'an id is 1-64 letters, digits or dashes');
  return messageId !== undefined ? { messageId } : { conversationId: id };
}

function text(value: unknown): string | undefined {
  if (Array.isArray(value)) throw new MonitorError('SCHEMA_INVALID', 400, 'give each parameter once');
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

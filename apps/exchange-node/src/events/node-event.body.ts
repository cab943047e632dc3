import type { NodeEventData } from '@app/contracts';
import type { NodeEvent } from '@app/persistence';

/** An event as a webhook delivery and `GET /v1/events` carry it: ids and metadata, never a payload. */
export interface NodeEventBody {
  readonly id: string;
  readonly sequence: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly node: string;
  readonly data: NodeEventData;
}

export function eventBody(node: string, event: NodeEvent): NodeEventBody {
  return {
    id: event.id,
    sequence: event.seq,
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    node,
    data: event.data,
  };
}

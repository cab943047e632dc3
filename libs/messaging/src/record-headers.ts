import type { IHeaders } from 'kafkajs';

/**
 * Record headers repeat a few envelope fields for routing and monitoring only; the receiver trusts only the signed content.
 * The receiver trusts the signed content and rejects a record whose headers disagree with it.
 */
export const HEADER = {
  type: 'puente-type',
  sender: 'puente-sender',
  recipient: 'puente-recipient',
  messageId: 'puente-message-id',
} as const;

export type RoutingHeaders = { readonly [K in keyof typeof HEADER]?: string };

export function toKafkaHeaders(h: Readonly<Record<string, string>>): IHeaders {
  return { ...h };
}

export function readRoutingHeaders(headers: IHeaders | undefined): RoutingHeaders {
  const get = (name: string): string | undefined => {
    const v = headers?.[name];
    const first = Array.isArray(v) ? v[0] : v;
    return first === undefined ? undefined : Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  };
  return {
    type: get(HEADER.type),
    sender: get(HEADER.sender),
    recipient: get(HEADER.recipient),
    messageId: get(HEADER.messageId),
  };
}

export function routingHeaders(h: {
  type: string;
  sender: string;
  recipient: string;
  messageId: string;
}): Record<string, string> {
  return {
    [HEADER.type]: h.type,
    [HEADER.sender]: h.sender,
    [HEADER.recipient]: h.recipient,
    [HEADER.messageId]: h.messageId,
  };
}

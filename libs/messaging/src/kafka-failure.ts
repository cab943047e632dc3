import type { KafkaClientSecurity } from './kafka-security';

/** Enough about a connection to say what went wrong in an operator's words. */
export interface KafkaEndpoint {
  readonly brokers: readonly string[];
  readonly security?: KafkaClientSecurity;
}

const errorChain = (error: unknown): { name: string; message: string; type?: string }[] => {
  const chain: { name: string; message: string; type?: string }[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const o = e as {
      name?: unknown;
      message?: unknown;
      type?: unknown;
      cause?: unknown;
      originalError?: unknown;
    };
    chain.push({
      name: typeof o.name === 'string' ? o.name : 'Error',
      message: typeof o.message === 'string' ? o.message : 'unknown error',
      ...(typeof o.type === 'string' ? { type: o.type } : {}),
    });
    e = o.originalError ?? o.cause;
  }
  return chain;
};

/**
 * One line for logs and `/health` that says what is wrong with the connection to the brokers and where
 * to look — never a stack trace, never a password: e.g. `authentication failed for User:us-cbp at
 * 127.0.0.1:29092`.
 */
export function describeKafkaFailure(error: unknown, endpoint: KafkaEndpoint): string {
  const at = endpoint.brokers.join(',');
  const user = endpoint.security?.sasl ? `User:${endpoint.security.sasl.username}` : 'an anonymous client';
  const chain = errorChain(error);
  const text = chain.map((c) => `${c.name} ${c.type ?? ''} ${c.message}`).join(' | ');
  if (/KafkaJSSASLAuthenticationError|SASL_AUTHENTICATION_FAILED|invalid credentials/i.test(text))
    return `authentication failed for ${user} at ${at} (check KAFKA_CREDENTIALS_FILE and the broker's users)`;
  if (/certificate|self[- ]signed|UNABLE_TO_VERIFY|CERT_/i.test(text) && !/alert bad certificate/i.test(text))
    return `the broker's TLS certificate at ${at} is not trusted (check KAFKA_CA_FILE): ${firstLine(chain)}`;
  if (/wrong version number|packet length too long|EPROTO/i.test(text))
    return `TLS handshake with ${at} failed: is the broker's listener SASL_SSL? (${firstLine(chain)})`;
  if (/ECONNREFUSED/i.test(text)) return `no broker answers at ${at} (connection refused)`;
  if (/TOPIC_AUTHORIZATION_FAILED|GROUP_AUTHORIZATION_FAILED|CLUSTER_AUTHORIZATION_FAILED/.test(text))
    return `${user} is not authorised for this at ${at}: ${firstLine(chain)} (run npm run network:provision)`;
  if (/Closed connection|ConnectionClosed/i.test(text))
    return `${at} closed the connection (${user}; a secured broker closes unauthenticated connections)`;
  return `${firstLine(chain)} (at ${at})`;
}

function firstLine(chain: readonly { message: string }[]): string {
  const deepest = chain[chain.length - 1]?.message ?? 'unknown error';
  return (deepest.split('\n')[0] ?? '').slice(0, 200);
}

/** Whether the broker refused the principal a topic (an ACL no agreement justifies, or not provisioned). */
export function isTopicAuthorizationFailure(error: unknown): boolean {
  return errorChain(error).some(
    (e) => e.type === 'TOPIC_AUTHORIZATION_FAILED' || e.message.startsWith('Not authorized to access topics'),
  );
}

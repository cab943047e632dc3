import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import { kafkajsSecurity, type KafkaClientSecurity } from './kafka-security';

export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** TLS and SASL for a secured broker; absent for a developer's plaintext broker. */
  readonly security?: KafkaClientSecurity;
}

export type KafkaLog = (level: 'error' | 'warn' | 'info', message: string) => void;

/**
 * kafkajs reports some retried, harmless responses at ERROR (a freshly started broker's coordinators
 * "loading"); they are logged as info so that ERROR in a node's log always means something to act on.
 */
const RETRIED_NOISE = [
  /coordinator is (loading|not available)/i,
  /There is no leader for this topic-partition/i,
];
/**
 * kafkajs warns that an idempotent producer with finite retries may duplicate after a failed send. The
 * outbox relay re-sends such records itself and the receiving inbox is idempotent by (sender, message
 * id), so the effect stays exactly-once; the warning is logged as info.
 */
const EXPLAINED_WARNINGS = [
  /Limiting retries for the idempotent producer/,
  /KafkaJS v2.0.0 switched default partitioner/,
];

/** A kafkajs client whose log lines go to the node's logger instead of stdout JSON blobs. */
export function createKafka(connection: KafkaConnection, log: KafkaLog): Kafka {
  return new Kafka({
    clientId: connection.clientId,
    brokers: [...connection.brokers],
    ...kafkajsSecurity(connection.security),
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const text = `${entry.message}${entry.error ? `: ${String(entry.error)}` : ''}`;
        if (level === logLevel.ERROR && !RETRIED_NOISE.some((r) => r.test(text))) log('error', text);
        else if (level === logLevel.WARN && !EXPLAINED_WARNINGS.some((r) => r.test(text))) log('warn', text);
        else log('info', text);
      },
  });
}

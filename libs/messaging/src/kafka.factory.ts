import { Kafka, logLevel, type LogEntry } from 'kafkajs';

export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly clientId: string;
}

export type KafkaLog = (level: 'error' | 'warn' | 'info', message: string) => void;

/** A kafkajs client whose log lines go to the node's logger instead of stdout JSON blobs. */
export function createKafka(connection: KafkaConnection, log: KafkaLog): Kafka {
  return new Kafka({
    clientId: connection.clientId,
    brokers: [...connection.brokers],
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const text = `${entry.message}${entry.error ? `: ${String(entry.error)}` : ''}`;
        if (level === logLevel.ERROR) log('error', text);
        else if (level === logLevel.WARN) log('warn', text);
        else log('info', text);
      },
  });
}

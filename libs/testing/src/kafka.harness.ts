import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = resolve(__dirname, '../../../tools/kafka/kafka.sh');

export interface ManagedKafka {
  readonly brokers: string[];
  readonly port: number;
  stop(): Promise<void>;
  /** Stops and starts the same broker, keeping its data (for broker-restart fault tests). */
  restart(): Promise<void>;
}

async function kafkaSh(...args: string[]): Promise<string> {
  const { stdout } = await run('bash', [SCRIPT, ...args], { maxBuffer: 4 * 1024 * 1024 });
  return stdout;
}

/**
 * Starts the project's managed Kafka broker (tools/kafka/kafka.sh) on a port of its own with fresh
 * data, and hands back how to stop or restart it.
 */
export async function startManagedKafka(port = 29092): Promise<ManagedKafka> {
  await kafkaSh('reset', '--port', String(port));
  const out = await kafkaSh('start', '--port', String(port));
  const line = out.trim().split('\n').pop() ?? '';
  if (!line.startsWith('KAFKA_BROKERS=')) throw new Error(`the broker script reported no address:\n${out}`);
  return {
    brokers: line.slice('KAFKA_BROKERS='.length).split(','),
    port,
    stop: async () => {
      await kafkaSh('reset', '--port', String(port));
    },
    restart: async () => {
      await kafkaSh('stop', '--port', String(port));
      await kafkaSh('start', '--port', String(port));
    },
  };
}

import type { Consumer } from 'kafkajs';
import { opsFlowTopic } from '@app/contracts';
import { createKafka, type KafkaClientSecurity } from '@app/messaging';
import type { FlowEvent } from '@app/observability';

/** The sending node's account of one message: accepted at `submit`, settled by the peer's receipt. */
export interface Settled {
  readonly outcome: string;
  /** Acceptance for sending → receipt stored, as the sending node measured it. */
  readonly endToEndMs: number;
  readonly at: number;
}

/** A record the broker acknowledged: when the relay had the acknowledgement, and its size. */
export interface Published {
  readonly at: number;
  readonly sizeBytes: number;
}

/**
 * Reads the network's ops flow topic (the nodes' own metadata-only events) and keeps,
 * per message id, when it was settled and its end-to-end time, when and how large its record was
 * published, and when its recipient took it off the inbox topic.
 * The bench measures latency from these rather than by polling the REST API, which would load the
 * very nodes it measures.
 */
export class FlowTap {
  readonly settled = new Map<string, Settled>();
  readonly published = new Map<string, Published>();
  /** When the recipient began judging the record (its `receive` event; the first one, for a copy). */
  readonly received = new Map<string, number>();
  private consumer: Consumer | undefined;

  /** `security`: the broker admin's (the tap's group is not the ops monitor's, which alone may read the topic). */
  static async start(
    brokers: readonly string[],
    security: KafkaClientSecurity,
    namespace: string,
  ): Promise<FlowTap> {
    const tap = new FlowTap();
    const kafka = createKafka({ brokers, clientId: 'puente-bench-tap', security }, () => undefined);
    const consumer = kafka.consumer({
      groupId: `${namespace}-bench-tap`,
      // Latency comes from the events' own times: the tap can fetch rarely, and cost the machine little.
      minBytes: 64 * 1024,
      maxWaitTimeInMs: 500,
    });
    tap.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: opsFlowTopic(namespace), fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const text = m.value?.toString() ?? '';
          // Only settle, publish and receive events are read: the others are not parsed at all, since
          // the driver shares the CPU with what it measures (events are compact JSON, as the nodes write them).
          if (
            text.includes('"stage":"settle"') ||
            text.includes('"stage":"publish"') ||
            text.includes('"stage":"receive"')
          )
            tap.take(JSON.parse(text) as FlowEvent);
        }
        await Promise.resolve();
      },
    });
    return tap;
  }

  private take(e: FlowEvent): void {
    if (!e.messageId) return;
    if (e.stage === 'settle' && e.endToEndMs !== undefined)
      this.settled.set(e.messageId, { outcome: e.outcome, endToEndMs: e.endToEndMs, at: Date.parse(e.at) });
    else if (e.stage === 'publish' && e.sizeBytes !== undefined)
      this.published.set(e.messageId, { at: Date.parse(e.at), sizeBytes: e.sizeBytes });
    else if (e.stage === 'receive' && !this.received.has(e.messageId))
      this.received.set(e.messageId, Date.parse(e.at));
  }

  /** Resolves when every id is settled; rejects after `timeoutMs` naming how many are missing. */
  async settledAll(ids: readonly string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const missing = ids.filter((id) => !this.settled.has(id)).length;
      if (missing === 0) return;
      if (Date.now() > deadline)
        throw new Error(`${missing} of ${ids.length} messages were not settled within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

import { OPS_FLOW_TOPIC } from '@app/contracts';
import { toFlowEvent, type FlowEvent } from './flow-event';

/** Where batches of flow events go; the node wires this to its Kafka producer. */
export interface FlowEventSink {
  send(topic: string, records: readonly { key: string | null; value: string }[]): Promise<void>;
}

export interface FlowEventsPublisherOptions {
  readonly flushIntervalMs: number;
  readonly maxBuffered: number;
  readonly onDropped?: (count: number, error: unknown) => void;
  /** Defaults to `puente.ops.flow`. */
  readonly topic?: string;
  /** Called synchronously for every event, e.g. to update metrics. */
  readonly observers?: readonly ((event: FlowEvent) => void)[];
}

/**
 * Buffers flow events and publishes them in batches. Flow events are monitoring, not the exchange:
 * when the broker is unavailable they are dropped (and counted) rather than slowing the pipeline.
 */
export class FlowEventsPublisher {
  private buffer: FlowEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  dropped = 0;
  published = 0;

  constructor(
    private readonly sink: FlowEventSink,
    private readonly options: FlowEventsPublisherOptions = { flushIntervalMs: 200, maxBuffered: 10_000 },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  emit(event: FlowEvent): void {
    const safe = toFlowEvent(event);
    for (const observe of this.options.observers ?? []) observe(safe);
    if (this.buffer.length >= this.options.maxBuffered) {
      this.dropped += 1;
      return;
    }
    this.buffer.push(safe);
  }

  /** Publishes what is buffered; concurrent calls are serialised. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow());
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async flushNow(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    try {
      await this.sink.send(
        this.options.topic ?? OPS_FLOW_TOPIC,
        batch.map((e) => ({ key: e.messageId ?? null, value: JSON.stringify(e) })),
      );
      this.published += batch.length;
    } catch (error) {
      this.dropped += batch.length;
      this.options.onDropped?.(batch.length, error);
    }
  }
}

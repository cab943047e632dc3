import type { FlowEvent } from '@app/observability';
import type { FlowSource } from './flow.source';

/** A flow source fed by hand: app tests and page previews publish records without a broker. */
export class ManualFlowSource implements FlowSource {
  readonly description = 'manual.ops.flow';
  private sink: ((value: Buffer | null, where: string) => void) | undefined;
  private offset = 0;

  get isRunning(): boolean {
    return this.sink !== undefined;
  }

  start(onRecord: (value: Buffer | null, where: string) => void): Promise<void> {
    this.sink = onRecord;
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.sink = undefined;
    return Promise.resolve();
  }

  publish(...events: readonly FlowEvent[]): void {
    for (const e of events) this.publishRaw(JSON.stringify(e));
  }

  publishRaw(value: string | null): void {
    this.sink?.(value === null ? null : Buffer.from(value), `${this.description}[0]@${this.offset++}`);
  }
}

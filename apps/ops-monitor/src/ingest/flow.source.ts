/** Where raw flow records come from: the Kafka consumer in a running monitor, a hand-fed source in app tests. */
export interface FlowSource {
  readonly description: string;
  readonly isRunning: boolean;
  /** Resolves once records published from now on will be delivered to `onRecord`. */
  start(onRecord: (value: Buffer | null, where: string) => void): Promise<void>;
  stop(): Promise<void>;
}

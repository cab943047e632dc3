import type { Consumer } from 'kafkajs';

export interface ConsumerRestart {
  /** Whether the owner is shutting down: then nothing is started. */
  readonly stopping: () => boolean;
  /** Creates, connects and runs a new consumer (and keeps it where the owner can stop it). */
  readonly start: () => Promise<void>;
  /** Disconnects whatever a failed `start` left behind. */
  readonly cleanUp: () => Promise<void>;
  readonly log: { warn(message: string): void; error(message: string): void };
  readonly what: string;
  /** Takes over reporting a failed start (e.g. in an operator's words, once per distinct problem). */
  readonly onFailure?: (error: unknown) => void;
}

/**
 * kafkajs gives up on a consumer after errors it deems non-retriable — "Failed to find group
 * coordinator" while a broker restarts is one — and leaves it stopped. This replaces such a consumer
 * with a new one, backing off from 1 s to 30 s until one runs or the owner stops.
 */
export async function replaceCrashedConsumer(crashed: Consumer, r: ConsumerRestart): Promise<void> {
  await crashed.disconnect().catch(() => undefined);
  for (let delay = 1_000; !r.stopping(); delay = Math.min(delay * 2, 30_000)) {
    r.log.warn(`starting the ${r.what} again in ${delay} ms`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (r.stopping()) return;
    try {
      await r.start();
      return;
    } catch (error) {
      if (r.onFailure) r.onFailure(error);
      else
        r.log.error(`the ${r.what} did not start: ${error instanceof Error ? error.message : String(error)}`);
      await r.cleanUp().catch(() => undefined);
    }
  }
}

/**
 * Work that runs when woken (after an accepted message) and on a poll, one pass at a time: wake-ups
 * during a pass queue one more pass after it, so nothing pending is missed and passes never overlap.
 * A failed pass is reported and the next wake-up or poll tries again.
 */
export class WakeLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** Polls every `everyMs`, and runs a first pass now (pending work from before a restart). */
  start(everyMs: number): void {
    this.timer = setInterval(() => void this.wake(), everyMs);
    this.timer.unref();
    void this.wake();
  }

  wake(): Promise<void> {
    this.running = this.running.then(async () => void (await this.pass())).catch(this.onFailure);
    return this.running;
  }

  /** Stops polling and waits for the pass in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}

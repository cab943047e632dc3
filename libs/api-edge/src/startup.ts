import type { LoggerService } from '@nestjs/common';

/** A step of start-up failed: the operator's to fix, so main prints its message without a stack. */
export class StartupError extends Error {
  constructor(step: string, cause: unknown, subject = 'start-up') {
    super(`${subject} failed while ${step}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StartupError';
  }
}

/**
 * Runs an app's main: a configuration or start-up problem (ConfigError, StartupError) is printed
 * plainly, anything else with its stack; either way the process exits 1.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const plain = error instanceof Error && (error.name === 'ConfigError' || error.name === 'StartupError');
    const message =
      error instanceof Error ? (plain ? error.message : (error.stack ?? error.message)) : String(error);
    process.stderr.write(`${message}\n`);
    process.exit(1);
  });
}

/** On SIGTERM or SIGINT: says what is being stopped, closes, and exits 0 (1 if closing failed). */
export function closeOnSignals(logger: LoggerService, stopping: string, close: () => Promise<void>): void {
  const stop = (signal: string) => {
    logger.log(`${signal} received: ${stopping}`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { ConfigError } from '@app/config';
import { startOpsMonitor } from './bootstrap';
import { loadMonitorConfig } from './config/monitor-config.loader';

async function main(): Promise<void> {
  const config = loadMonitorConfig(process.env);
  const logger = new ConsoleLogger({ prefix: 'puente:ops-monitor', json: config.logJson });
  Logger.overrideLogger(logger);
  const monitor = await startOpsMonitor(config, { logger });
  const stop = (signal: string) => {
    logger.log(`${signal} received: closing the event streams and the flow consumer`);
    monitor.close().then(
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

main().catch((error: unknown) => {
  // Configuration and start-up problems are the operator's to fix: print them plainly, no stack.
  const message =
    error instanceof ConfigError || (error instanceof Error && error.name === 'StartupError')
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});

import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { closeOnSignals, runMain } from '@app/api-edge';
import { startOpsMonitor } from './bootstrap';
import { loadMonitorConfig } from './config/monitor-config.loader';

runMain(async () => {
  const config = loadMonitorConfig(process.env);
  const logger = new ConsoleLogger({ prefix: 'puente:ops-monitor', json: config.logJson });
  Logger.overrideLogger(logger);
  const monitor = await startOpsMonitor(config, { logger });
  closeOnSignals(logger, 'closing the event streams and the flow consumer', () => monitor.close());
});

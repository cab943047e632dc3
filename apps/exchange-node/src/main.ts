import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { closeOnSignals, runMain } from '@app/api-edge';
import { loadNodeConfig } from '@app/config';
import { startNode } from './bootstrap';

runMain(async () => {
  const config = loadNodeConfig(process.env);
  const logger = new ConsoleLogger({ prefix: `puente:${config.party}`, json: config.logJson });
  Logger.overrideLogger(logger);
  const node = await startNode(config, { logger });
  closeOnSignals(logger, 'stopping intake, finishing in-flight work', () => node.close());
});

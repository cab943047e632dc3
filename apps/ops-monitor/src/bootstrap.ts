import { type INestApplication, Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type Clock, systemClock } from '@app/config';
import type { MonitorConfig } from './config/monitor-config';
import type { FlowSource } from './ingest/flow.source';
import type { MonitorHub } from './live/monitor.hub';
import { MonitorStartupError, openMonitorRuntime } from './monitor-runtime';
import { OpsMonitorModule } from './ops-monitor.module';
import { securityHeaders } from './shared/security-headers.middleware';

export interface RunningOpsMonitor {
  readonly url: string;
  readonly app: INestApplication;
  readonly hub: MonitorHub;
  close(): Promise<void>;
}

export interface StartOpsMonitorOptions {
  readonly clock?: Clock;
  readonly logger?: LoggerService | LogLevel[] | false;
  /** Replaces the Kafka consumer of the flow topic (app tests and page previews feed records by hand). */
  readonly source?: FlowSource;
}

/**
 * Starts the ops monitor: the flow consumer (ready before this resolves, so events published
 * afterwards are seen), node polling, and HTTP for the dashboard. main.ts calls it with
 * configuration from the environment; tests call it in-process.
 */
export async function startOpsMonitor(
  config: MonitorConfig,
  options: StartOpsMonitorOptions = {},
): Promise<RunningOpsMonitor> {
  const runtime = await openMonitorRuntime(config, options.clock ?? systemClock, options.source);
  const app = await NestFactory.create<NestExpressApplication>(OpsMonitorModule.forRuntime(runtime), {
    logger: options.logger ?? undefined,
    abortOnError: false,
    // Event streams never end by themselves: closing must not wait for the browsers to leave.
    forceCloseConnections: true,
  });
  app.disable('x-powered-by');
  app.use(securityHeaders);

  const { hub, source, poller } = runtime;
  let step = `starting to read ${source.description}`;
  try {
    await source.start((value, where) => hub.acceptRecord(value, where));
    hub.start();
    poller.start();
    step = `listening on ${config.http.host}:${config.http.port}`;
    await app.listen(config.http.port, config.http.host);
  } catch (error) {
    // Whatever did start (consumer, timers, server) must not outlive a failed start-up.
    poller.stop();
    hub.stop();
    await source.stop().catch(() => undefined);
    await app.close().catch(() => undefined);
    throw new MonitorStartupError(step, error);
  }
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${config.http.host}:${address.port}`;
  new Logger('OpsMonitor').log(`watching ${source.description}; dashboard at ${url}/`);

  return {
    url,
    app,
    hub,
    close: async () => {
      poller.stop();
      hub.stop();
      await source.stop().catch(() => undefined);
      await app.close();
    },
  };
}

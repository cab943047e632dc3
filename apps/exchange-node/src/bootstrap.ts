import { type INestApplication, Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { json } from 'express';
import { type Clock, type NodeConfig, systemClock } from '@app/config';
import { AppModule } from './app.module';
import { openNodeRuntime, type NodeRuntime } from './node-runtime';

export interface RunningNode {
  readonly app: INestApplication;
  readonly runtime: NodeRuntime;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts one exchange node: HTTP for its own agencies, Kafka for its peers (a hybrid Nest app).
 * main.ts calls this with configuration from the environment; integration tests call it directly,
 * several times in one process, one per administration.
 */
export async function startNode(
  config: NodeConfig,
  options: { clock?: Clock; logger?: LoggerService | LogLevel[] | false } = {},
): Promise<RunningNode> {
  const runtime = await openNodeRuntime(config, options.clock ?? systemClock);
  const app = await NestFactory.create(AppModule.forRuntime(runtime), {
    bodyParser: false,
    logger: options.logger ?? undefined,
    abortOnError: false,
  });
  // API answers are not cached, so no ETag (express would hash every response body for one), and
  // the framework is nobody's business.
  const http = app.getHttpAdapter().getInstance() as { set(setting: string, value: unknown): void };
  http.set('etag', false);
  http.set('x-powered-by', false);
  app.use(json({ limit: config.http.bodyLimitBytes }));
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, () =>
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(`Puente exchange node — ${config.party}`)
        .setDescription(
          'Signed, validated, agreement-checked exchange between customs and border administrations.',
        )
        .setVersion('v1')
        .addBearerAuth()
        .build(),
    ),
  );
  app.connectMicroservice({ strategy: runtime.inboxServer }, { inheritAppConfig: true });
  runtime.flowEvents.start();
  await app.startAllMicroservices();
  await app.listen(config.http.port, config.http.host);
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  const url = `http://${config.http.host}:${address.port}`;
  new Logger('Node').log(`${config.party} serving ${url} (OpenAPI at ${url}/docs)`);

  return {
    app,
    runtime,
    url,
    close: async () => {
      // Nest stops the HTTP server and the inbox consumer, then the relay (shutdown hooks);
      // what remains is the runtime's own connections.
      await app.close();
      await runtime.flowEvents.stop();
      await runtime.topicProbe.close().catch(() => undefined);
      await runtime.producer.disconnect().catch(() => undefined);
      await runtime.db.close();
    },
  };
}

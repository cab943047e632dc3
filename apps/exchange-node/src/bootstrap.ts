import { type INestApplication, Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { json } from 'express';
import { type Clock, type NodeConfig, systemClock } from '@app/config';
import { AppModule } from './app.module';
import { jsonInputGuard } from './http/json-input.middleware';
import { methodNotAllowed } from './http/method-not-allowed.middleware';
import { securityHeaders } from './http/security-headers.middleware';
import { buildOpenApiDocument } from './openapi/openapi.document';
import { openNodeRuntime, type NodeRuntime } from './node-runtime';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

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
  const document = buildOpenApiDocument(app, config, runtime.catalog);
  // In this order, before any route: headers on every answer (refusals too), 405 for a known path
  // asked with another method (before its body is read), then the body, parsed and inspected.
  app.use(securityHeaders());
  app.use(
    methodNotAllowed([
      ...Object.entries(document.paths).map(([path, item]) => ({
        path,
        methods: HTTP_METHODS.filter((m) => item[m] !== undefined),
      })),
      ...['/docs', '/docs-json', '/docs-yaml'].map((path) => ({ path, methods: ['get'] })),
    ]),
  );
  app.use(json({ limit: config.http.bodyLimitBytes }));
  app.use(jsonInputGuard(config.http.maxJsonDepth, ['/v1/messages/batch']));
  app.enableShutdownHooks();
  // The API document and its UI are public, like /health: served outside the controllers' guard.
  SwaggerModule.setup('docs', app, document);
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

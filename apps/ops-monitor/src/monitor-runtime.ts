import { StartupError } from '@app/api-edge';
import { Logger } from '@nestjs/common';
import type { Clock } from '@app/config';
import { opsFlowTopic } from '@app/contracts';
import { createKafka, ensureTopics, openKafkaSecurity } from '@app/messaging';
import { FlowMonitor } from './aggregation/flow.monitor';
import { NodeHealthBoard } from './aggregation/node-health.board';
import { MonitorClientRegistry } from './auth/monitor-client.registry';
import type { MonitorConfig } from './config/monitor-config';
import { renderDashboardPage, type RenderedPage } from './dashboard/dashboard.page';
import { FlowEventsKafkaConsumer } from './ingest/flow-events.kafka.consumer';
import type { FlowSource } from './ingest/flow.source';
import { NodeHealthHttpPoller } from './ingest/node-health.http.poller';
import { LiveStream } from './live/live.stream';
import { MonitorHub } from './live/monitor.hub';
import { MonitorMetrics } from './shared/monitor.metrics';

/** What the monitor opens before Nest starts; bootstrap.ts starts and stops it around the HTTP server. */
export interface MonitorRuntime {
  readonly config: MonitorConfig;
  readonly clock: Clock;
  readonly metrics: MonitorMetrics;
  readonly hub: MonitorHub;
  readonly live: LiveStream;
  readonly clients: MonitorClientRegistry;
  readonly page: RenderedPage;
  readonly source: FlowSource;
  readonly poller: NodeHealthHttpPoller;
}

/** A start-up step of the monitor failed (main prints the message plainly). */
export class MonitorStartupError extends StartupError {
  constructor(step: string, cause: unknown) {
    super(step, cause, 'ops monitor start-up');
  }
}

/** `source` replaces the Kafka consumer (app tests feed records by hand); the rest is the same as in production. */
export async function openMonitorRuntime(
  config: MonitorConfig,
  clock: Clock,
  source?: FlowSource,
): Promise<MonitorRuntime> {
  const page = step('reading the dashboard page', () => renderDashboardPage());
  const flowSource = source ?? (await kafkaSource(config));
  const flow = new FlowMonitor(config.window);
  // A poll older than three intervals means polling itself is stuck: the node is shown as stale.
  const board = new NodeHealthBoard(config.nodes, config.poll.intervalMs * 3 + config.poll.timeoutMs);
  const metrics = new MonitorMetrics({ defaultMetrics: true, heldEvents: () => flow.held });
  const hub = new MonitorHub(flow, board, metrics, clock, config, flowSource);
  return {
    config,
    clock,
    metrics,
    hub,
    live: new LiveStream(hub, metrics),
    clients: new MonitorClientRegistry(config.clients),
    page,
    source: flowSource,
    poller: new NodeHealthHttpPoller(config.nodes, board, metrics, clock, config.poll),
  };
}

async function kafkaSource(config: MonitorConfig): Promise<FlowSource> {
  const logger = new Logger('Kafka');
  const security = step('reading the broker credentials', () => openKafkaSecurity(config.kafka.security));
  const kafka = createKafka(
    { brokers: config.kafka.brokers, clientId: config.kafka.clientId, security },
    (level, message) =>
      level === 'error'
        ? logger.error(message)
        : level === 'warn'
          ? logger.warn(message)
          : logger.log(message),
  );
  const topic = opsFlowTopic(config.kafka.topicNamespace);
  if (config.kafka.provisionTopic) {
    try {
      await ensureTopics(kafka, [topic]);
    } catch (error) {
      throw new MonitorStartupError(
        `making sure ${topic} exists on ${config.kafka.brokers.join(',')}`,
        error,
      );
    }
  }
  return new FlowEventsKafkaConsumer({
    kafka,
    topic,
    groupId: config.kafka.groupId,
    fromBeginning: config.kafka.fromBeginning,
  });
}

function step<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new MonitorStartupError(name, error);
  }
}

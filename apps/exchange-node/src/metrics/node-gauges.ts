import { Inject, Injectable } from '@nestjs/common';
import { NODE_CONFIG, type NodeConfig } from '@app/config';
import { dlqTopic, inboxTopic } from '@app/contracts';
import type { KafkaInboxServer, TopicProbe } from '@app/messaging';
import type { NodeMetrics } from '@app/observability';
import { OutboundMessagesRepository, OutboxRepository } from '@app/persistence';
import { INBOX_SERVER, METRICS, TOPIC_PROBE } from '../shared/tokens';

/** Gauges read at scrape time: cheap queries and in-memory counts, so they cost nothing between scrapes. */
@Injectable()
export class NodeGauges {
  constructor(
    @Inject(NODE_CONFIG) config: NodeConfig,
    @Inject(METRICS) metrics: NodeMetrics,
    @Inject(TOPIC_PROBE) probe: TopicProbe,
    @Inject(INBOX_SERVER) inbox: KafkaInboxServer,
    outbox: OutboxRepository,
    outbound: OutboundMessagesRepository,
  ) {
    const ns = config.kafka.topicNamespace;
    metrics.gauge('puente_outbox_backlog', 'Outbox records not yet acknowledged by the broker', () =>
      outbox.backlog(),
    );
    metrics.gauge('puente_awaiting_receipt', 'Messages sent and not yet settled by a receipt', () =>
      outbound.awaitingReceipt(),
    );
    metrics.gauge('puente_inbox_consumer_lag', 'Inbox records not yet processed and committed', () =>
      probe.lag(config.kafka.groupId, inboxTopic(config.party, ns)),
    );
    metrics.gauge('puente_dlq_depth', "Records in this node's dead-letter topic", () =>
      probe.depth(dlqTopic(config.party, ns)),
    );
    metrics.gauge(
      'puente_inbox_oldest_unhandled_seconds',
      'Age of the oldest inbox record fetched and not yet handled (0 when none waits)',
      () => Promise.resolve(inbox.oldestUnhandledAgeSeconds),
    );
    metrics.gauge(
      'puente_inbox_stalled_partitions',
      'Inbox partitions with lag whose offset has not moved for PUENTE_INBOX_STALL_SECONDS',
      () => Promise.resolve(inbox.stalls.length),
    );
  }
}

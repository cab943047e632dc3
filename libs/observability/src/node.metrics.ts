import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FlowEvent } from './flow-event';

const OK_OUTCOMES = new Set(['OK', 'ACCEPTED', 'DUPLICATE']);
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * A node's Prometheus metrics, derived from its flow events so the dashboard and /metrics can never
 * disagree. One registry per node (several nodes share a process in tests). Labels hold only party
 * ids, message types, agreement ids, stages and reason codes — never payload contents.
 */
export class NodeMetrics {
  readonly registry = new Registry();
  private readonly messages: Counter<'direction' | 'type' | 'agreement' | 'peer' | 'outcome'>;
  private readonly refusals: Counter<'side' | 'reason'>;
  private readonly stageSeconds: Histogram<'stage'>;
  private readonly endToEnd: Histogram<'type' | 'peer'>;

  constructor(party: string, options: { defaultMetrics?: boolean } = {}) {
    this.registry.setDefaultLabels({ party });
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'puente_node_' });
    this.messages = new Counter({
      name: 'puente_messages_total',
      help: 'Messages by direction, type, agreement, peer and outcome (OK or a reason code)',
      labelNames: ['direction', 'type', 'agreement', 'peer', 'outcome'],
      registers: [this.registry],
    });
    this.refusals = new Counter({
      name: 'puente_refusals_total',
      help: 'Refusals by side (sender: REST submission; receiver: inbound record) and reason code',
      labelNames: ['side', 'reason'],
      registers: [this.registry],
    });
    this.stageSeconds = new Histogram({
      name: 'puente_stage_duration_seconds',
      help: 'Time spent in one pipeline stage',
      labelNames: ['stage'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.endToEnd = new Histogram({
      name: 'puente_end_to_end_seconds',
      help: 'From acceptance for sending to the peer receipt (delivered or rejected)',
      labelNames: ['type', 'peer'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
  }

  observe(e: FlowEvent): void {
    if (e.durationMs !== undefined) this.stageSeconds.observe({ stage: e.stage }, e.durationMs / 1000);
    const ok = OK_OUTCOMES.has(e.outcome);
    switch (e.stage) {
      case 'submit':
        this.messages.inc({
          direction: 'outbound',
          type: e.type ?? '',
          agreement: e.agreementId ?? '',
          peer: e.recipient ?? '',
          outcome: e.outcome,
        });
        if (!ok) this.refusals.inc({ side: 'sender', reason: e.outcome });
        break;
      case 'receive':
      case 'dead-letter':
        this.messages.inc({
          direction: 'inbound',
          type: e.type ?? '',
          agreement: e.agreementId ?? '',
          peer: e.sender ?? '',
          outcome: e.outcome,
        });
        if (!ok) this.refusals.inc({ side: 'receiver', reason: e.outcome });
        break;
      case 'settle':
        if (e.endToEndMs !== undefined)
          this.endToEnd.observe({ type: e.type ?? '', peer: e.recipient ?? '' }, e.endToEndMs / 1000);
        break;
      case 'publish':
      case 'expire':
        break;
    }
  }

  /** A gauge read at scrape time (outbox backlog, consumer lag, DLQ depth); a failing read reports nothing. */
  gauge(name: string, help: string, read: () => Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        try {
          this.set(await read());
        } catch {
          this.reset();
        }
      },
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { isMessageType, isReasonCode } from '@app/contracts';
import type { FlowEvent } from './flow-event';

const OK_OUTCOMES = new Set(['OK', 'ACCEPTED', 'DUPLICATE']);
/** Outcomes that are not reason codes: a receipt's outcome, or a peer's receipt naming no code. */
const OTHER_OUTCOMES = new Set([...OK_OUTCOMES, 'REJECTED', 'UNSPECIFIED']);
const STAGES = new Set(['submit', 'publish', 'settle', 'expire', 'receive', 'dead-letter', 'trust']);
const UNKNOWN = 'unknown';

/**
 * The label values /metrics may carry: the catalog's parties and agreements, the message types and
 * reason codes. Anything else — a forged sender header, a peer's made-up reason code — is `unknown`,
 * so no record can add series (or bytes) to /metrics.
 */
export interface MetricLabelCatalog {
  readonly parties: readonly string[];
  readonly agreements: readonly string[];
}
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

  private readonly parties: ReadonlySet<string>;
  private readonly agreements: ReadonlySet<string>;

  constructor(party: string, options: { defaultMetrics?: boolean; labels?: MetricLabelCatalog } = {}) {
    this.registry.setDefaultLabels({ party });
    this.parties = new Set([party, ...(options.labels?.parties ?? [])]);
    this.agreements = new Set(options.labels?.agreements ?? []);
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'puente_node_' });
    this.messages = new Counter({
      name: 'puente_messages_total',
      help: 'Messages by direction, type, agreement, peer and outcome (OK or a reason code)',
      labelNames: ['direction', 'type', 'agreement', 'peer', 'outcome'],
      registers: [this.registry],
    });
    this.refusals = new Counter({
      name: 'puente_refusals_total',
      help: 'Refusals by side (sender: REST submission; receiver: inbound record; trust: key announcement) and reason code',
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

  private party(value: string | undefined): string {
    return value === undefined || value === '' ? '' : this.parties.has(value) ? value : UNKNOWN;
  }

  private agreement(value: string | undefined): string {
    return value === undefined || value === '' ? '' : this.agreements.has(value) ? value : UNKNOWN;
  }

  observe(e: FlowEvent): void {
    const stage = STAGES.has(e.stage) ? e.stage : UNKNOWN;
    const type = e.type === undefined || e.type === '' ? '' : isMessageType(e.type) ? e.type : UNKNOWN;
    const outcome = OTHER_OUTCOMES.has(e.outcome) || isReasonCode(e.outcome) ? e.outcome : UNKNOWN;
    if (e.durationMs !== undefined) this.stageSeconds.observe({ stage }, e.durationMs / 1000);
    const ok = OK_OUTCOMES.has(outcome);
    switch (e.stage) {
      case 'submit':
        this.messages.inc({
          direction: 'outbound',
          type,
          agreement: this.agreement(e.agreementId),
          peer: this.party(e.recipient),
          outcome,
        });
        if (!ok) this.refusals.inc({ side: 'sender', reason: outcome });
        break;
      case 'receive':
      case 'dead-letter':
        this.messages.inc({
          direction: 'inbound',
          type,
          agreement: this.agreement(e.agreementId),
          peer: this.party(e.sender),
          outcome,
        });
        if (!ok) this.refusals.inc({ side: 'receiver', reason: outcome });
        break;
      case 'settle':
        if (e.endToEndMs !== undefined)
          this.endToEnd.observe({ type, peer: this.party(e.recipient) }, e.endToEndMs / 1000);
        break;
      case 'trust':
        if (!ok) this.refusals.inc({ side: 'trust', reason: outcome });
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

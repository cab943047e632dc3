import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The monitor's own Prometheus metrics, in a registry of its own (tests run several monitors and
 * nodes in one process). Counts only; no label carries an id.
 */
export class MonitorMetrics {
  readonly registry = new Registry();
  readonly ingested: Counter;
  readonly invalid: Counter;
  readonly stale: Counter;
  readonly sseClients: Gauge;
  readonly nodePollFailures: Counter<'party'>;

  constructor(options: { defaultMetrics?: boolean; heldEvents?: () => number } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'puente_monitor_' });
    const registers = [this.registry];
    this.ingested = new Counter({
      name: 'puente_monitor_events_ingested_total',
      help: 'Flow events taken into the monitor window',
      registers,
    });
    this.invalid = new Counter({
      name: 'puente_monitor_events_invalid_total',
      help: 'Records on the flow topic that were not a valid flow event (skipped)',
      registers,
    });
    this.stale = new Counter({
      name: 'puente_monitor_events_stale_total',
      help: 'Valid flow events already older than the history window when read (skipped)',
      registers,
    });
    this.sseClients = new Gauge({
      name: 'puente_monitor_sse_clients',
      help: 'Open dashboard event streams',
      registers,
    });
    this.nodePollFailures = new Counter({
      name: 'puente_monitor_node_poll_failures_total',
      help: 'Health polls of a node that got no usable answer',
      labelNames: ['party'],
      registers,
    });
    const held = options.heldEvents;
    new Gauge({
      name: 'puente_monitor_window_events',
      help: 'Flow events currently held in the monitor window',
      registers,
      collect() {
        if (held) this.set(held());
      },
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

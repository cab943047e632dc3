import type { NodeGauges, NodeHealthSample } from '../aggregation/node-health.board';
import { parsePrometheusText } from './prometheus-text.parser';

/** Gauge names the exchange node exposes (apps/exchange-node node-runtime.ts registers them). */
const GAUGES: Readonly<Record<keyof NodeGauges, string>> = {
  outboxBacklog: 'puente_outbox_backlog',
  inboxConsumerLag: 'puente_inbox_consumer_lag',
  awaitingReceipt: 'puente_awaiting_receipt',
  dlqDepth: 'puente_dlq_depth',
};

/**
 * Interprets a node's `GET /health` answer: 200 when ready, 503 with the same JSON body when not.
 * Any other answer, or a body that is not the node's health JSON, counts as unreachable.
 */
export function readHealth(
  status: number,
  body: string,
): Pick<NodeHealthSample, 'reachable' | 'status' | 'failingChecks' | 'outboxBacklog' | 'error'> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { reachable: false, failingChecks: [], error: `GET /health answered ${status} without JSON` };
  }
  const h = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (typeof h.status !== 'string')
    return { reachable: false, failingChecks: [], error: `GET /health answered ${status} without a status` };
  const checks =
    typeof h.checks === 'object' && h.checks !== null ? (h.checks as Record<string, unknown>) : {};
  const failingChecks = Object.entries(checks)
    .filter(([, c]) => (c as { ok?: unknown } | null)?.ok !== true)
    .map(([name]) => name);
  return {
    reachable: true,
    status: h.status,
    failingChecks,
    ...(typeof h.outboxBacklog === 'number' ? { outboxBacklog: h.outboxBacklog } : {}),
  };
}

/** The node gauges found in a `GET /metrics` text; a node without metrics yet is handled by the caller (404). */
export function readMetrics(text: string): NodeGauges {
  const values = parsePrometheusText(text);
  const gauges: Record<string, number> = {};
  for (const [key, name] of Object.entries(GAUGES)) {
    const v = values.get(name);
    if (v !== undefined) gauges[key] = v;
  }
  return gauges;
}

import type { FlowEvent, FlowStage } from '@app/observability';

export type ParsedFlowEvent =
  { readonly ok: true; readonly event: FlowEvent } | { readonly ok: false; readonly problem: string };

const STAGES: ReadonlySet<string> = new Set<FlowStage>([
  'submit',
  'publish',
  'settle',
  'expire',
  'receive',
  'dead-letter',
  'trust',
]);
const OUTCOME = /^[A-Z][A-Z0-9_]{0,63}$/;
/** Ids, party ids, agreement ids, message type names and rule paths: short, printable, no markup. */
const TOKEN = /^[\w.:@/[\]-]{1,200}$/;
const MAX_RECORD_BYTES = 16_384;

const TEXT_KEYS = [
  'messageId',
  'conversationId',
  'type',
  'agreementId',
  'sender',
  'recipient',
  'rule',
] as const;
const NUMBER_KEYS = ['sizeBytes', 'durationMs', 'endToEndMs'] as const;

/**
 * Reads one `<ns>.ops.flow` record value. The topic is written by every node, so the monitor checks
 * each record rather than trusting it: a record that is not a well-formed flow event is reported as
 * a problem (the caller counts and skips it). A valid event is rebuilt from the FlowEvent keys only —
 * any other key is dropped, so nothing beyond flow metadata can reach the dashboard.
 */
export function parseFlowEvent(value: Buffer | string | null): ParsedFlowEvent {
  if (value === null || value.length === 0) return { ok: false, problem: 'empty record' };
  if (value.length > MAX_RECORD_BYTES)
    return { ok: false, problem: `record larger than ${MAX_RECORD_BYTES} bytes` };
  let raw: unknown;
  try {
    raw = JSON.parse(value.toString());
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, problem: 'not a JSON object' };
  const r = raw as Record<string, unknown>;

  if (typeof r.at !== 'string' || !Number.isFinite(Date.parse(r.at)))
    return { ok: false, problem: 'at is not a timestamp' };
  if (typeof r.node !== 'string' || !TOKEN.test(r.node))
    return { ok: false, problem: 'node is missing or malformed' };
  if (typeof r.stage !== 'string' || !STAGES.has(r.stage))
    return { ok: false, problem: 'stage is not a known stage' };
  if (typeof r.outcome !== 'string' || !OUTCOME.test(r.outcome))
    return { ok: false, problem: 'outcome is not a code' };

  const event: Record<string, unknown> = {
    at: new Date(Date.parse(r.at)).toISOString(),
    node: r.node,
    stage: r.stage,
    outcome: r.outcome,
  };
  for (const key of TEXT_KEYS) {
    const v = r[key];
    if (v === undefined || v === null || v === '') continue;
    const wellFormed = typeof v === 'string' && TOKEN.test(v);
    // A rule is a path, never a value: one that does not look like a path is left out, the event kept.
    if (!wellFormed && key === 'rule') continue;
    if (!wellFormed) return { ok: false, problem: `${key} is malformed` };
    event[key] = v;
  }
  for (const key of NUMBER_KEYS) {
    const v = r[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      return { ok: false, problem: `${key} is not a non-negative number` };
    event[key] = v;
  }
  return { ok: true, event: event as unknown as FlowEvent };
}

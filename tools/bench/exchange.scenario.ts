import { EXAMPLE_PAYLOADS, MessageType, type PartyId } from '@app/contracts';
import { flightQuery, syntheticTravelers } from '@app/testing';
import type { BenchNetwork } from './bench-network';
import type { FlowTap } from './flow-tap';
import { postJson } from './http-client';

/** One direction of traffic: who sends what to whom. */
export interface ExchangeFlow {
  readonly from: PartyId;
  readonly to: PartyId;
  readonly type: string;
  readonly purpose: string;
  readonly payload: (n: number) => Record<string, unknown>;
}

export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface ExchangeResult {
  /** The flows the messages were spread over, round-robin, and how many of each were delivered. */
  readonly flows: readonly {
    readonly from: PartyId;
    readonly to: PartyId;
    readonly type: string;
    readonly delivered: number;
  }[];
  readonly messages: number;
  readonly delivered: number;
  /** Settled with a REJECTED receipt: should be 0 in every bench flow. */
  readonly rejected: number;
  readonly seconds: number;
  /** Delivered messages per second, from the first submission to the last receipt. */
  readonly perSecond: number;
  /** Acceptance for sending → `delivered`, ms, as the sending node measured it. */
  readonly latencyMs: Percentiles;
  /**
   * Where along the path that time goes, ms from acceptance (the nodes' own flow events, one clock):
   * until the broker acknowledged the record to the sending node's relay, and until the recipient
   * took it off its inbox topic. The rest, to `delivered`, is the recipient's checks and commit and
   * the receipt's way back. The recipient can take a record before the relay has its
   * acknowledgement, so `received` can be below `published` for a message.
   */
  readonly latencyByStageMs: { readonly published: Percentiles; readonly received: Percentiles };
  /** Median size of the signed records on the wire, bytes. */
  readonly recordBytes: number;
}

export interface ExchangeRun {
  readonly flows: readonly ExchangeFlow[];
  readonly messages: number;
  /** Closed loop: this many submissions in flight at once (full speed). */
  readonly concurrency?: number;
  /** Open loop: a fixed offered rate, messages per second, whatever the answers' pace. */
  readonly ratePerSecond?: number;
  /**
   * Closed loop only: submit this many messages per request (POST /v1/messages/batch), with
   * `concurrency` requests in flight. Without it, one message per request (POST /v1/messages).
   */
  readonly batchSize?: number;
}

const FILLER =
  'Shipment documents, routing and payment records were reviewed against the declaration; discrepancies are listed for the partner administration. ';

function text(bytes: number): string {
  return FILLER.repeat(Math.ceil(bytes / FILLER.length)).slice(0, Math.max(1, bytes));
}

/**
 * An AssistanceRequest whose JSON is about `bytes` long: the minimal valid request padded in its
 * summary (up to the schema's 20,000 characters), beyond that the example request with more
 * information-requested lines (up to 50 × 2,000 characters).
 */
export function assistanceRequestOfSize(bytes: number, n: number): Record<string, unknown> {
  const base: Record<string, unknown> = {
    caseReference: `BENCH-${n}`,
    offenseCategory: 'OFFENSE_CATEGORY_DUTY_EVASION',
    summary: '',
    informationRequested: ['Import declaration and entry documents'],
    urgency: 'URGENCY_ROUTINE',
  };
  const rich = { ...EXAMPLE_PAYLOADS[MessageType.AssistanceRequest], caseReference: `BENCH-${n}` };
  const start = bytes >= JSON.stringify(rich).length + 100 ? rich : base;
  const room = bytes - JSON.stringify({ ...start, summary: '' }).length;
  const summary = text(Math.min(Math.max(room, 1), 20_000));
  const payload: Record<string, unknown> = { ...start, summary };
  const lines = [...(payload.informationRequested as string[])];
  for (let left = bytes - JSON.stringify(payload).length; left > 50 && lines.length < 50;) {
    const line = text(Math.min(left - 3, 2_000));
    lines.push(line);
    left -= line.length + 3;
  }
  payload.informationRequested = lines;
  return payload;
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

function submission(flow: ExchangeFlow, n: number) {
  return { type: flow.type, to: flow.to, purpose: flow.purpose, payload: flow.payload(n) };
}

async function submit(network: BenchNetwork, flow: ExchangeFlow, n: number): Promise<string> {
  const node = network.node(flow.from);
  const res = await postJson(`${node.url}/v1/messages`, node.token, submission(flow, n));
  const body = (res.body ?? {}) as { id?: string; code?: string; message?: string };
  if (res.status !== 202 || !body.id)
    throw new Error(`${flow.from} refused bench message ${n}: ${res.status} ${body.code} ${body.message}`);
  return body.id;
}

/** One batch request of messages `ns`, all of one flow; every one must be accepted. */
async function submitBatch(
  network: BenchNetwork,
  flow: ExchangeFlow,
  ns: readonly number[],
): Promise<string[]> {
  const node = network.node(flow.from);
  const res = await postJson(`${node.url}/v1/messages/batch`, node.token, {
    messages: ns.map((n) => submission(flow, n)),
  });
  const body = (res.body ?? {}) as {
    results?: { id?: string; code?: string; message?: string }[];
    code?: string;
    message?: string;
  };
  const refused = body.results?.find((r) => !r.id);
  if (res.status !== 200 || !body.results || refused)
    throw new Error(
      `${flow.from} refused a bench batch: ${res.status} ${refused?.code ?? body.code} ${refused?.message ?? body.message}`,
    );
  return body.results.map((r) => r.id as string);
}

/**
 * Sends `messages` through the full path — REST acceptance, signing, outbox, Kafka, the peer's
 * verification, validation, authorization and inbox, the signed receipt back — round-robin over the
 * flows, and waits until the sending nodes report every one delivered.
 */
export async function runExchange(
  network: BenchNetwork,
  tap: FlowTap,
  run: ExchangeRun,
): Promise<ExchangeResult> {
  const ids: string[] = [];
  const flowOf = new Map<string, number>();
  const started = Date.now();
  const send = async (n: number) => {
    const flow = run.flows[n % run.flows.length];
    if (!flow) return;
    const id = await submit(network, flow, n);
    ids.push(id);
    flowOf.set(id, n % run.flows.length);
  };
  if (run.ratePerSecond) {
    const rate = run.ratePerSecond;
    const pending: Promise<void>[] = [];
    for (let n = 0; n < run.messages; n++) {
      const due = started + (n * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      pending.push(send(n));
    }
    await Promise.all(pending);
  } else if (run.batchSize) {
    const size = run.batchSize;
    let next = 0;
    const worker = async () => {
      for (let first = next; first < run.messages; first = next) {
        next = Math.min(run.messages, first + size);
        const ns = Array.from({ length: next - first }, (_, i) => first + i);
        // A batch goes to one sending node: the batch's messages grouped by flow.
        for (const [i, flow] of run.flows.entries()) {
          const mine = ns.filter((n) => n % run.flows.length === i);
          if (mine.length === 0) continue;
          const accepted = await submitBatch(network, flow, mine);
          ids.push(...accepted);
          for (const id of accepted) flowOf.set(id, i);
        }
      }
    };
    await Promise.all(Array.from({ length: run.concurrency ?? 2 }, worker));
  } else {
    let next = 0;
    const worker = async () => {
      for (let n = next++; n < run.messages; n = next++) await send(n);
    };
    await Promise.all(Array.from({ length: run.concurrency ?? 64 }, worker));
  }
  await tap.settledAll(ids, 120_000 + run.messages * 20);
  const settled = ids.map((id) => tap.settled.get(id)).filter((s) => s !== undefined);
  const delivered = ids.flatMap((id) => {
    const s = tap.settled.get(id);
    return s?.outcome === 'ACCEPTED' ? [{ id, ...s, acceptedAt: s.at - s.endToEndMs }] : [];
  });
  const seconds = (Math.max(...settled.map((s) => s.at)) - started) / 1000;
  const sizes = ids.map((id) => tap.published.get(id)?.sizeBytes ?? 0).filter((b) => b > 0);
  const sinceAcceptance = (at: (id: string) => number | undefined) =>
    percentiles(
      delivered.flatMap((d) => {
        const t = at(d.id);
        return t === undefined ? [] : [t - d.acceptedAt];
      }),
    );
  return {
    flows: run.flows.map((f, i) => ({
      from: f.from,
      to: f.to,
      type: f.type,
      delivered: delivered.filter((d) => flowOf.get(d.id) === i).length,
    })),
    messages: ids.length,
    delivered: delivered.length,
    rejected: settled.length - delivered.length,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round(delivered.length / seconds),
    latencyMs: percentiles(delivered.map((s) => s.endToEndMs)),
    latencyByStageMs: {
      published: sinceAcceptance((id) => tap.published.get(id)?.at),
      received: sinceAcceptance((id) => tap.received.get(id)),
    },
    recordBytes: percentiles(sizes).p50,
  };
}

/** sv-dga asks us-cbp for assistance under the CMAA: the bench's main flow. */
export function customsFlow(from: PartyId, to: PartyId, payloadBytes: number): ExchangeFlow {
  // Built once: the driver shares the CPU with the nodes it measures. Each message differs in its case reference.
  const template = assistanceRequestOfSize(payloadBytes, 0);
  return {
    from,
    to,
    type: MessageType.AssistanceRequest,
    purpose: 'duty-evasion',
    payload: (n) => ({ ...template, caseReference: `BENCH-${n}` }),
  };
}

/** us-cbp and mx-anam notify each other under the MOU: a CooperationNotice of about `payloadBytes`. */
export function cooperationFlow(from: PartyId, to: PartyId, payloadBytes: number): ExchangeFlow {
  const example = EXAMPLE_PAYLOADS[MessageType.CooperationNotice];
  const room = payloadBytes - JSON.stringify({ ...example, body: '' }).length;
  const template = { ...example, body: text(Math.min(Math.max(room, 1), 20_000)) };
  return {
    from,
    to,
    type: MessageType.CooperationNotice,
    purpose: 'information-exchange-planning',
    payload: (n) => ({ ...template, title: `Bench notice ${n}` }),
  };
}

/**
 * sv-dgme asks us-cbp to assess a flight's `travelers` under ATS-G: encrypted to us-cbp (JWE inside
 * the signature), and answered by a RiskAssessment where us-cbp runs its assessor. The answer is
 * more traffic on both nodes, not a message of this flow.
 */
export function passengerFlow(from: PartyId, to: PartyId, travelers: number): ExchangeFlow {
  const query = flightQuery(syntheticTravelers(travelers, 1));
  return {
    from,
    to,
    type: MessageType.TravelerRiskQuery,
    purpose: 'traveler-risk-assessment',
    payload: () => query,
  };
}

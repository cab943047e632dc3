import type { Clock } from '@app/config';
import type { NodeGauges, NodeHealthBoard, NodeHealthSample } from '../aggregation/node-health.board';
import type { MonitoredNode } from '../config/monitor-config';
import type { MonitorMetrics } from '../shared/monitor.metrics';
import { readHealth, readMetrics } from './node-health.reading';

/**
 * Polls each node's `GET /health` and `GET /metrics` (both unauthenticated on the node: counts and
 * codes only) every interval and records what it found on the board. A node without /metrics (404)
 * is fine; an unreachable node is shown as such, never an error here. A node's next poll waits
 * until its previous one finished, so a slow node cannot pile up requests.
 */
export class NodeHealthHttpPoller {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly nodes: readonly MonitoredNode[],
    private readonly board: NodeHealthBoard,
    private readonly metrics: MonitorMetrics,
    private readonly clock: Clock,
    private readonly options: { readonly intervalMs: number; readonly timeoutMs: number },
  ) {}

  start(): void {
    if (this.nodes.length === 0 || this.timer) return;
    void this.pollAll();
    this.timer = setInterval(() => void this.pollAll(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round over every node; resolves when all answered or timed out. */
  async pollAll(): Promise<void> {
    await Promise.all(this.nodes.map((n) => this.pollOne(n)));
  }

  private async pollOne(node: MonitoredNode): Promise<void> {
    if (this.inFlight.has(node.party)) return;
    this.inFlight.add(node.party);
    const started = Date.now();
    try {
      const sample = await this.sample(node);
      if (!sample.reachable) this.metrics.nodePollFailures.inc({ party: node.party });
      this.board.record(node.party, {
        ...sample,
        polledAtMs: this.clock.now().getTime(),
        responseMs: Date.now() - started,
      });
    } finally {
      this.inFlight.delete(node.party);
    }
  }

  private async sample(node: MonitoredNode): Promise<Omit<NodeHealthSample, 'polledAtMs' | 'responseMs'>> {
    let health: Omit<NodeHealthSample, 'polledAtMs' | 'responseMs'>;
    try {
      const res = await this.get(`${node.url}/health`);
      health = readHealth(res.status, res.body);
    } catch (error) {
      return { reachable: false, failingChecks: [], error: describe(error) };
    }
    const metrics = await this.gauges(node);
    return metrics ? { ...health, metrics } : health;
  }

  /** The node's gauges, or undefined when it serves no /metrics (yet) or it failed this time. */
  private async gauges(node: MonitoredNode): Promise<NodeGauges | undefined> {
    try {
      const res = await this.get(`${node.url}/metrics`);
      return res.status === 200 ? readMetrics(res.body) : undefined;
    } catch {
      return undefined;
    }
  }

  private async get(url: string): Promise<{ status: number; body: string }> {
    const res = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs), redirect: 'error' });
    return { status: res.status, body: await readCapped(res, MAX_POLLED_BYTES) };
  }
}

/**
 * The most the monitor reads of one node's answer (/health or /metrics). A node's /metrics is some
 * tens of KB; a node that answers more (a broken or hostile one) must not grow the monitor's memory.
 */
export const MAX_POLLED_BYTES = 1_048_576;

/** Reads a body up to `limit` bytes, then stops reading; a longer answer fails like an unreachable node. */
export async function readCapped(res: Response, limit: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await res.body?.cancel();
    throw new Error(`answer of ${declared} bytes, over the ${limit}-byte limit`);
  }
  if (!res.body) return '';
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`answer over the ${limit}-byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describe(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  const cause = (error as { cause?: { code?: string } } | null)?.cause?.code;
  return cause ?? (error instanceof Error ? error.message : String(error));
}

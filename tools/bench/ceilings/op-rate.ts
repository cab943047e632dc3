import { performance } from 'node:perf_hooks';

/** How fast one operation ran: `ops` timed runs after the warm-up, back to back on one thread. */
export interface OpRate {
  readonly ops: number;
  readonly totalMs: number;
  readonly opsPerSecond: number;
  readonly microsPerOp: number;
}

export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Warm-up runs before timing: enough for the JIT and jose's lazy set-up, never fewer than 10. */
export const warmupFor = (count: number): number => Math.max(10, Math.ceil(count / 10));

export function rateOf(ops: number, totalMs: number): OpRate {
  const seconds = totalMs / 1000;
  return {
    ops,
    totalMs,
    opsPerSecond: seconds > 0 ? ops / seconds : Number.POSITIVE_INFINITY,
    microsPerOp: ops > 0 ? (totalMs * 1000) / ops : 0,
  };
}

/**
 * Runs `op` `warmup` times untimed, then `count` times timed, awaiting each run before the next: the
 * figure is single-threaded latency-bound throughput, what one core of a node gets.
 */
export async function timeAsyncOps(
  count: number,
  warmup: number,
  op: (i: number) => Promise<unknown>,
): Promise<OpRate> {
  for (let i = 0; i < warmup; i++) await op(i);
  const started = performance.now();
  for (let i = 0; i < count; i++) await op(i);
  return rateOf(count, performance.now() - started);
}

/**
 * Runs `count` operations with up to `concurrency` in flight (after a warm-up run the same way): the
 * throughput when the operation hands its work to libuv's thread pool, as jose's Ed25519 does.
 */
export async function timeConcurrentOps(
  count: number,
  warmup: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<OpRate> {
  const run = async (n: number) => {
    let next = 0;
    const worker = async () => {
      while (next < n) await op(next++);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  };
  await run(warmup);
  const started = performance.now();
  await run(count);
  return rateOf(count, performance.now() - started);
}

/** As timeAsyncOps for synchronous operations (node:crypto), without a microtask per run. */
export function timeSyncOps(count: number, warmup: number, op: (i: number) => unknown): OpRate {
  for (let i = 0; i < warmup; i++) op(i);
  const started = performance.now();
  for (let i = 0; i < count; i++) op(i);
  return rateOf(count, performance.now() - started);
}

/** Nearest-rank percentiles of a list of samples (any unit); zeros for an empty list. */
export function percentilesOf(samples: readonly number[]): Percentiles {
  if (samples.length === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

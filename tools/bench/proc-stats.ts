import { readFileSync } from 'node:fs';

/** What Linux reports for one process (and, with `tree`, its descendants summed). */
export interface ProcSample {
  /** User + system CPU time consumed since the process started. */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
  /** The kernel's high-water mark of resident memory (VmHWM); not meaningful summed over a tree. */
  readonly peakRssBytes: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** `Key:   1234 kB` from a /proc status-like text, in bytes. */
function kib(text: string, key: string): number {
  return Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
}

/**
 * One process. With `reaped`, CPU includes the children it has waited for (cutime, cstime), so a
 * tree's total does not drop when a child exits; with `proportional`, memory is the proportional set
 * size (shared pages split among the processes sharing them), so a tree's sum does not count
 * PostgreSQL's shared buffers once per connection.
 */
function one(
  pid: number,
  options: { reaped?: boolean; proportional?: boolean } = {},
): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: utime, stime, cutime, cstime are fields 14–17 of the line.
    const f = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const ticks = (f[11] ?? 0) + (f[12] ?? 0) + (options.reaped ? (f[13] ?? 0) + (f[14] ?? 0) : 0);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssBytes = options.proportional
      ? kib(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss')
      : kib(status, 'VmRSS');
    return { cpuSeconds: ticks / TICKS_PER_SECOND, rssBytes, peakRssBytes: kib(status, 'VmHWM') };
  } catch {
    return undefined; // the process has exited
  }
}

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Samples `pid`, and with `tree` its descendants too (PostgreSQL runs one process per connection). */
export function sampleProcess(pid: number, tree = false): ProcSample | undefined {
  if (!tree) return one(pid);
  const own = one(pid, { reaped: true, proportional: true });
  if (!own) return own;
  let { cpuSeconds, rssBytes, peakRssBytes } = own;
  const pending = children(pid);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const s = one(next, { proportional: true });
    if (!s) continue;
    cpuSeconds += s.cpuSeconds;
    rssBytes += s.rssBytes;
    peakRssBytes += s.peakRssBytes;
    pending.push(...children(next));
  }
  return { cpuSeconds, rssBytes, peakRssBytes };
}

export interface WatchedProcess {
  readonly name: string;
  readonly pid: number;
  readonly tree?: boolean;
}

/** Per process over a stretch of time: CPU seconds spent in it, and peak resident memory seen. */
export interface ProcUsage {
  readonly name: string;
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
}

const SAMPLE_MS = 250;

/**
 * Process trees are sampled every this many ticks (2 s). A tree's memory is the sum of its processes'
 * proportional set sizes, and reading `smaps_rollup` makes the kernel walk each process's page
 * tables: for PostgreSQL with ten connections that measured 6.5 ms of the driver's CPU per sample,
 * more with more connections; four times a second, that was CPU taken from the machine the exchange
 * is measured on.
 */
const TREE_SAMPLE_EVERY = 8;

/**
 * Watches processes over one phase of the bench: CPU seconds are the difference of the kernel's
 * counters between start and stop; peak memory is the larger of the kernel's own high-water mark
 * (single processes) and the largest resident size sampled every 250 ms (every 2 s for process
 * trees).
 */
export class ProcWatch {
  private readonly start = new Map<string, ProcSample>();
  private readonly peak = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private ticks = 0;

  constructor(private readonly processes: readonly WatchedProcess[]) {
    for (const p of processes) {
      const s = sampleProcess(p.pid, p.tree);
      if (s) this.start.set(p.name, s);
    }
    this.timer = setInterval(() => this.sample(this.ticks++ % TREE_SAMPLE_EVERY === 0), SAMPLE_MS);
    this.timer.unref();
  }

  private sample(trees: boolean): void {
    for (const p of this.processes) {
      if (p.tree && !trees) continue;
      const s = sampleProcess(p.pid, p.tree);
      if (s) this.peak.set(p.name, Math.max(this.peak.get(p.name) ?? 0, s.rssBytes));
    }
  }

  stop(): ProcUsage[] {
    clearInterval(this.timer);
    this.sample(true);
    return this.processes.flatMap((p) => {
      const end = sampleProcess(p.pid, p.tree);
      const begin = this.start.get(p.name);
      if (!end || !begin) return [];
      const peak = Math.max(this.peak.get(p.name) ?? 0, p.tree ? 0 : end.peakRssBytes);
      return [
        {
          name: p.name,
          cpuSeconds: round(end.cpuSeconds - begin.cpuSeconds, 2),
          peakRssMiB: round(peak / 2 ** 20, 0),
        },
      ];
    });
  }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

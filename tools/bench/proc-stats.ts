import { readFileSync } from 'node:fs';

/** What Linux reports for one process (and, with `tree`, its descendants summed). */
export interface ProcSample {
  /** User + system CPU time consumed since the process started. */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
  /** The kernel's high-water mark of resident memory (VmHWM); summed over a tree it is an upper bound. */
  readonly peakRssBytes: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function one(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the whole line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { cpuSeconds, rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
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
  const own = one(pid);
  if (!own || !tree) return own;
  let { cpuSeconds, rssBytes, peakRssBytes } = own;
  const pending = children(pid);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const s = one(next);
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

/**
 * Watches processes over one phase of the bench: CPU seconds are the difference of the kernel's
 * counters between start and stop; peak memory is the larger of the kernel's own high-water mark
 * (single processes) and the largest resident size sampled every 250 ms (process trees).
 */
export class ProcWatch {
  private readonly start = new Map<string, ProcSample>();
  private readonly peak = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly processes: readonly WatchedProcess[]) {
    for (const p of processes) {
      const s = sampleProcess(p.pid, p.tree);
      if (s) this.start.set(p.name, s);
    }
    this.timer = setInterval(() => this.sample(), 250);
    this.timer.unref();
  }

  private sample(): void {
    for (const p of this.processes) {
      const s = sampleProcess(p.pid, p.tree);
      if (s) this.peak.set(p.name, Math.max(this.peak.get(p.name) ?? 0, s.rssBytes));
    }
  }

  stop(): ProcUsage[] {
    clearInterval(this.timer);
    this.sample();
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

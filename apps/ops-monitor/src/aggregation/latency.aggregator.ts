import type { FlowEvent, FlowStage } from '@app/observability';
import { STAGES } from './outcome';
import { type Percentiles, SampleWindow } from './sample.window';

export interface LatencyView {
  readonly windowSeconds: number;
  /** `settle` events' endToEndMs: acceptance for sending to the peer's receipt. */
  readonly endToEnd: Percentiles;
  /** Each stage's own `durationMs`. */
  readonly stages: Readonly<Record<FlowStage, Percentiles>>;
}

/** Latency percentiles over a sliding window (default 5 minutes), end to end and per stage. */
export class LatencyAggregator {
  private readonly endToEnd: SampleWindow;
  private readonly stages = new Map<FlowStage, SampleWindow>();

  constructor(
    private readonly windowMs = 300_000,
    maxSamplesPerSeries = 50_000,
  ) {
    this.endToEnd = new SampleWindow(windowMs, maxSamplesPerSeries);
    for (const s of STAGES) this.stages.set(s, new SampleWindow(windowMs, maxSamplesPerSeries));
  }

  add(e: FlowEvent, atMs: number): void {
    if (e.stage === 'settle' && e.endToEndMs !== undefined) this.endToEnd.add(atMs, e.endToEndMs);
    if (e.durationMs !== undefined) this.stages.get(e.stage)?.add(atMs, e.durationMs);
  }

  view(nowMs: number): LatencyView {
    const stages = {} as Record<FlowStage, Percentiles>;
    for (const [stage, window] of this.stages) stages[stage] = window.percentiles(nowMs);
    return {
      windowSeconds: this.windowMs / 1000,
      endToEnd: this.endToEnd.percentiles(nowMs),
      stages,
    };
  }
}

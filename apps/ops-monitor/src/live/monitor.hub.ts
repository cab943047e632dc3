import { Logger } from '@nestjs/common';
import { BehaviorSubject, Subject } from 'rxjs';
import type { Clock } from '@app/config';
import type { FlowEvent } from '@app/observability';
import type { FlowMonitor, TrailQuery } from '../aggregation/flow.monitor';
import type { NodeHealthBoard } from '../aggregation/node-health.board';
import type { TrailStep } from '../aggregation/trail.index';
import type { MonitorConfig } from '../config/monitor-config';
import { parseFlowEvent } from '../ingest/flow-event.parser';
import type { MonitorMetrics } from '../shared/monitor.metrics';
import type { MonitorSummary } from '../shared/monitor-summary';

const INVALID_LOG_INTERVAL_MS = 10_000;

/**
 * Joins the pure model (FlowMonitor, NodeHealthBoard) to time and to the live view: records in,
 * events and once-a-second summaries out. HTTP controllers and the event stream read from here.
 */
export class MonitorHub {
  readonly events$ = new Subject<FlowEvent>();
  readonly summaries$: BehaviorSubject<MonitorSummary>;
  private readonly logger = new Logger('FlowIngest');
  private timer: NodeJS.Timeout | undefined;
  private invalidSinceLog = 0;
  private lastInvalidLogMs = 0;

  constructor(
    private readonly flow: FlowMonitor,
    private readonly board: NodeHealthBoard,
    private readonly metrics: MonitorMetrics,
    private readonly clock: Clock,
    private readonly config: MonitorConfig,
    private readonly consumer: { readonly isRunning: boolean; readonly description: string },
  ) {
    this.summaries$ = new BehaviorSubject(this.summary());
  }

  /** One record off the flow topic. Never throws: a bad record is counted, logged (throttled) and skipped. */
  acceptRecord(value: Buffer | null, where: string): void {
    const parsed = parseFlowEvent(value);
    if (!parsed.ok) {
      this.flow.countInvalid();
      this.metrics.invalid.inc();
      this.logInvalid(parsed.problem, where);
      return;
    }
    const held = this.flow.ingest(parsed.event, this.clock.now().getTime());
    if (!held) {
      this.metrics.stale.inc();
      return;
    }
    this.metrics.ingested.inc();
    this.events$.next(held);
  }

  summary(): MonitorSummary {
    const now = this.clock.now().getTime();
    const flow = this.flow.view(now);
    const nodes = this.board.view(now);
    const parties = new Set(nodes.map((n) => n.party));
    for (const l of flow.links) parties.add(l.from).add(l.to);
    return {
      generatedAt: new Date(now).toISOString(),
      windows: {
        historySeconds: this.config.window.historyMs / 1000,
        latencySeconds: flow.latency.windowSeconds,
        overdueAfterSeconds: this.config.window.overdueAfterMs / 1000,
      },
      parties: [...parties].sort(),
      nodes,
      consumer: { running: this.consumer.isRunning, topic: this.consumer.description },
      ...flow,
    };
  }

  trail(query: TrailQuery): TrailStep[] {
    return this.flow.trail(query);
  }

  heldEvents(): number {
    return this.flow.held;
  }

  /** Publishes a fresh summary every `intervalMs` for the event streams. */
  start(intervalMs = 1_000): void {
    this.timer ??= setInterval(() => this.summaries$.next(this.summary()), intervalMs);
    this.timer.unref();
  }

  /** Ends every open event stream (their observables complete) so the HTTP server can close. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.events$.complete();
    this.summaries$.complete();
  }

  private logInvalid(problem: string, where: string): void {
    this.invalidSinceLog += 1;
    const now = Date.now();
    if (now - this.lastInvalidLogMs < INVALID_LOG_INTERVAL_MS) return;
    this.logger.warn(
      `skipped an invalid flow record at ${where}: ${problem}` +
        (this.invalidSinceLog > 1 ? ` (${this.invalidSinceLog - 1} more since the last report)` : ''),
    );
    this.invalidSinceLog = 0;
    this.lastInvalidLogMs = now;
  }
}

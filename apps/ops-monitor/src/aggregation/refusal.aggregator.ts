import type { FlowStage } from '@app/observability';
import { isRefusal } from './outcome';
import type { StoredEvent } from './stored-event';

export interface RefusalView {
  readonly reason: string;
  /** Refusal events in the history window. One refused message can count twice: the receiver's `receive` and the sender's `settle`. */
  readonly count: number;
  readonly byStage: Readonly<Partial<Record<FlowStage, number>>>;
  readonly lastAt: string;
  readonly lastNode: string;
  /** The rule or field path of the latest one (a path, never a value). */
  readonly lastRule?: string;
  readonly lastFrom?: string;
  readonly lastTo?: string;
}

interface Tally {
  count: number;
  byStage: Partial<Record<FlowStage, number>>;
  last: StoredEvent;
}

/** Refusals by reason code over the history window (add as events enter, remove as they are evicted). */
export class RefusalAggregator {
  private readonly tallies = new Map<string, Tally>();

  add(s: StoredEvent): void {
    if (!isRefusal(s.event)) return;
    const { outcome, stage } = s.event;
    const tally = this.tallies.get(outcome) ?? { count: 0, byStage: {}, last: s };
    tally.count += 1;
    tally.byStage[stage] = (tally.byStage[stage] ?? 0) + 1;
    if (s.atMs >= tally.last.atMs) tally.last = s;
    this.tallies.set(outcome, tally);
  }

  remove(s: StoredEvent): void {
    if (!isRefusal(s.event)) return;
    const { outcome, stage } = s.event;
    const tally = this.tallies.get(outcome);
    if (!tally) return;
    tally.count -= 1;
    const left = (tally.byStage[stage] ?? 1) - 1;
    if (left > 0) tally.byStage[stage] = left;
    else delete tally.byStage[stage];
    if (tally.count <= 0) this.tallies.delete(outcome);
  }

  /** Most frequent first. */
  view(): RefusalView[] {
    return [...this.tallies.entries()]
      .map(([reason, t]) => ({
        reason,
        count: t.count,
        byStage: { ...t.byStage },
        lastAt: t.last.event.at,
        lastNode: t.last.event.node,
        lastRule: t.last.event.rule,
        lastFrom: t.last.event.sender,
        lastTo: t.last.event.recipient,
      }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  }
}

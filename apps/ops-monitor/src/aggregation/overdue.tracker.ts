import type { FlowEvent } from '@app/observability';
import { isReceipt } from './outcome';

export interface OverdueView {
  readonly messageId: string;
  readonly conversationId?: string;
  readonly type?: string;
  readonly agreementId?: string;
  readonly from?: string;
  readonly to?: string;
  /** `publish`: accepted but still in the sender's outbox; `settle`: published, no receipt yet. */
  readonly waitingFor: 'publish' | 'settle';
  readonly since: string;
  readonly ageSeconds: number;
}

interface Pending {
  event: FlowEvent;
  waitingFor: 'publish' | 'settle';
  sinceMs: number;
}

/**
 * Messages that started and have not finished: accepted (submit OK) without a publish, or published
 * without a settle. Finished ones leave at once; the rest stay until a receipt or expiry arrives,
 * however old — being stuck is the point. At most `maxTracked` are held: past that the oldest are
 * forgotten and counted in `forgotten`, so a peer that never answers cannot exhaust memory.
 */
export class OverdueTracker {
  private readonly pending = new Map<string, Pending>();
  forgotten = 0;

  constructor(private readonly maxTracked = 50_000) {}

  get tracked(): number {
    return this.pending.size;
  }

  add(e: FlowEvent, atMs: number): void {
    if (!e.messageId || isReceipt(e)) return;
    switch (e.stage) {
      case 'submit':
        if (e.outcome === 'OK' && !this.pending.has(e.messageId)) this.track(e.messageId, e, 'publish', atMs);
        break;
      case 'publish':
        if (e.outcome === 'OK') {
          const before = this.pending.get(e.messageId);
          // Keep the submit's metadata: the relay's publish event carries no conversation or agreement.
          this.track(e.messageId, before ? { ...before.event, ...e } : e, 'settle', atMs);
        }
        break;
      case 'settle':
      case 'expire':
        this.pending.delete(e.messageId);
        break;
      case 'receive':
      case 'dead-letter':
      case 'trust':
        break;
    }
  }

  /** Messages waiting longer than `afterMs`, oldest first; `total` counts all of them, `items` at most `limit`. */
  overdue(nowMs: number, afterMs: number, limit = 100): { total: number; items: OverdueView[] } {
    const late = [...this.pending.entries()]
      .filter(([, p]) => nowMs - p.sinceMs > afterMs)
      .sort(([, a], [, b]) => a.sinceMs - b.sinceMs);
    return {
      total: late.length,
      items: late.slice(0, limit).map(([messageId, p]) => ({
        messageId,
        conversationId: p.event.conversationId,
        type: p.event.type,
        agreementId: p.event.agreementId,
        from: p.event.sender,
        to: p.event.recipient,
        waitingFor: p.waitingFor,
        since: new Date(p.sinceMs).toISOString(),
        ageSeconds: Math.floor((nowMs - p.sinceMs) / 1000),
      })),
    };
  }

  private track(
    messageId: string,
    event: FlowEvent,
    waitingFor: Pending['waitingFor'],
    sinceMs: number,
  ): void {
    this.pending.delete(messageId); // re-insert: Map order is then "oldest stage change first"
    this.pending.set(messageId, { event, waitingFor, sinceMs });
    while (this.pending.size > this.maxTracked) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
      this.forgotten += 1;
    }
  }
}

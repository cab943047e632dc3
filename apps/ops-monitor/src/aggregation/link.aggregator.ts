import type { FlowEvent } from '@app/observability';
import { isOkOutcome, isReceipt } from './outcome';
import { RateWindow } from './rate.window';
import type { StoredEvent } from './stored-event';

/** What happened on a link, counted over the history window. */
export interface LinkCounts {
  /** Accepted for sending by the sender's node (submit OK). */
  readonly sent: number;
  /** Refused by the sender's node before anything left it (submit with a reason code). */
  readonly refused: number;
  /** Written to the recipient's inbox topic. */
  readonly published: number;
  /** Accepted (or recognised as a duplicate) by the recipient's node. */
  readonly received: number;
  /** Refused by the recipient's node or dead-lettered there. */
  readonly rejected: number;
  /** Settled by an accepting receipt. */
  readonly delivered: number;
  /** Settled by a rejecting receipt, or expired without one. */
  readonly failed: number;
}

export interface LinkView extends LinkCounts {
  readonly from: string;
  readonly to: string;
  /** Empty when the event named no agreement (e.g. refused with NO_AGREEMENT). */
  readonly agreementId: string;
  readonly lastAt: string;
  /** Messages accepted for sending per second (submit OK), over the last 1 and 5 minutes. */
  readonly sentPerSecond: { readonly last1m: number; readonly last5m: number };
}

type Counter = keyof LinkCounts;

interface Link {
  readonly from: string;
  readonly to: string;
  readonly agreementId: string;
  readonly counts: Record<Counter, number>;
  readonly sentRate: RateWindow;
  lastAtMs: number;
  /** Events currently counted; the link is dropped when the window no longer holds any. */
  held: number;
}

/** Which counter an event moves, if any; exhaustive over stages so a new stage is a compile error here. */
function counterOf(e: FlowEvent): Counter | undefined {
  const ok = isOkOutcome(e.outcome);
  switch (e.stage) {
    case 'submit':
      return ok ? 'sent' : 'refused';
    case 'publish':
      return e.outcome === 'OK' ? 'published' : undefined;
    case 'receive':
      return ok ? 'received' : 'rejected';
    case 'dead-letter':
      return 'rejected';
    case 'settle':
      return e.outcome === 'ACCEPTED' ? 'delivered' : 'failed';
    case 'expire':
      return 'failed';
    case 'trust':
      // Key announcements are about a party's keys, not a link: they show among the refusals.
      return undefined;
  }
}

/**
 * Counts per link — sender → recipient under one agreement — over the events the window holds:
 * `add` as events enter, `remove` as they are evicted, so counts are exact for the window without
 * rescanning it. Rates come from per-second buckets and expire on their own.
 */
export class LinkAggregator {
  private readonly links = new Map<string, Link>();

  add(s: StoredEvent, nowMs: number): void {
    const counter = counterOf(s.event);
    const link = counter && this.link(s.event, true);
    if (!counter || !link) return;
    link.counts[counter] += 1;
    link.held += 1;
    link.lastAtMs = Math.max(link.lastAtMs, s.atMs);
    // A node clock slightly ahead must not put the event outside the "last minute".
    if (counter === 'sent') link.sentRate.add(Math.min(s.atMs, nowMs));
  }

  remove(s: StoredEvent): void {
    const counter = counterOf(s.event);
    const link = counter && this.link(s.event, false);
    if (!counter || !link) return;
    link.counts[counter] -= 1;
    link.held -= 1;
    if (link.held <= 0) this.links.delete(keyOf(link.from, link.to, link.agreementId));
  }

  view(nowMs: number): LinkView[] {
    return [...this.links.values()]
      .map((l) => ({
        from: l.from,
        to: l.to,
        agreementId: l.agreementId,
        ...l.counts,
        lastAt: new Date(l.lastAtMs).toISOString(),
        sentPerSecond: { last1m: l.sentRate.perSecond(nowMs, 60), last5m: l.sentRate.perSecond(nowMs, 300) },
      }))
      .sort(
        (a, b) =>
          a.from.localeCompare(b.from) ||
          a.to.localeCompare(b.to) ||
          a.agreementId.localeCompare(b.agreementId),
      );
  }

  private link(e: FlowEvent, create: boolean): Link | undefined {
    // Receipts settle a message rather than being one; events without both ends cannot be placed on the map.
    if (!e.sender || !e.recipient || isReceipt(e)) return undefined;
    const agreementId = e.agreementId ?? '';
    const key = keyOf(e.sender, e.recipient, agreementId);
    let link = this.links.get(key);
    if (!link && create) {
      link = {
        from: e.sender,
        to: e.recipient,
        agreementId,
        counts: { sent: 0, refused: 0, published: 0, received: 0, rejected: 0, delivered: 0, failed: 0 },
        sentRate: new RateWindow(300),
        lastAtMs: 0,
        held: 0,
      };
      this.links.set(key, link);
    }
    return link;
  }
}

const keyOf = (from: string, to: string, agreementId: string) => `${from}\u0000${to}\u0000${agreementId}`;

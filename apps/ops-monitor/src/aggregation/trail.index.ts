import type { FlowEvent } from '@app/observability';
import { STAGE_RANK } from './outcome';
import type { StoredEvent } from './stored-event';

/** One row of a message trail: the flow event as published, plus the time since the previous row and the first. */
export interface TrailStep extends FlowEvent {
  readonly sincePreviousMs: number | null;
  readonly sinceFirstMs: number;
}

/** What the monitor learnt about a message from any of its events, to complete the ones that lack it. */
export interface KnownMessage {
  readonly conversationId?: string;
  readonly agreementId?: string;
  readonly type?: string;
}

interface Entry {
  readonly events: StoredEvent[];
  conversationId?: string;
  agreementId?: string;
  type?: string;
}

/**
 * Events by message id and message ids by conversation, for the events the window holds (entries
 * leave with their last event, so the index is bounded by the window). Publish events carry no
 * conversation id; a conversation's trail still includes them through the message ids it has seen.
 */
export class TrailIndex {
  private readonly messages = new Map<string, Entry>();
  private readonly conversations = new Map<string, Set<string>>();

  known(messageId: string): KnownMessage | undefined {
    return this.messages.get(messageId);
  }

  add(s: StoredEvent): void {
    const { messageId, conversationId, agreementId, type } = s.event;
    if (!messageId) return;
    let entry = this.messages.get(messageId);
    if (!entry) {
      entry = { events: [] };
      this.messages.set(messageId, entry);
    }
    entry.events.push(s);
    entry.agreementId ??= agreementId;
    entry.type ??= type;
    if (conversationId && !entry.conversationId) {
      entry.conversationId = conversationId;
      let ids = this.conversations.get(conversationId);
      if (!ids) {
        ids = new Set();
        this.conversations.set(conversationId, ids);
      }
      ids.add(messageId);
    }
  }

  remove(s: StoredEvent): void {
    const messageId = s.event.messageId;
    const entry = messageId ? this.messages.get(messageId) : undefined;
    if (!messageId || !entry) return;
    // Eviction is oldest first, so the evicted event is nearly always at the front.
    const i = entry.events.indexOf(s);
    if (i >= 0) entry.events.splice(i, 1);
    if (entry.events.length > 0) return;
    this.messages.delete(messageId);
    const ids = entry.conversationId ? this.conversations.get(entry.conversationId) : undefined;
    ids?.delete(messageId);
    if (ids?.size === 0 && entry.conversationId) this.conversations.delete(entry.conversationId);
  }

  byMessage(messageId: string): TrailStep[] {
    return toTrail(this.messages.get(messageId)?.events ?? []);
  }

  byConversation(conversationId: string): TrailStep[] {
    const ids = this.conversations.get(conversationId) ?? new Set<string>();
    return toTrail([...ids].flatMap((id) => this.messages.get(id)?.events ?? []));
  }
}

/**
 * Messages in the order they first appeared; within a message, pipeline order (submit, publish,
 * receive, settle), then time. Pipeline order, not the clock, because the stages are causal but
 * their stamps are not comparable: each node stamps with its own clock, and the relay stamps a
 * publish when the broker acknowledged it — often after the peer already received the record.
 * `sincePreviousMs` is measured within the message, so it can be negative when stamps disagree.
 */
export function toTrail(events: readonly StoredEvent[]): TrailStep[] {
  const firstSeen = new Map<string, number>();
  for (const s of events) {
    const key = s.event.messageId ?? `#${s.seq}`;
    firstSeen.set(key, Math.min(firstSeen.get(key) ?? Infinity, s.atMs));
  }
  const keyOf = (s: StoredEvent) => s.event.messageId ?? `#${s.seq}`;
  const sorted = [...events].sort(
    (a, b) =>
      (firstSeen.get(keyOf(a)) ?? 0) - (firstSeen.get(keyOf(b)) ?? 0) ||
      keyOf(a).localeCompare(keyOf(b)) ||
      STAGE_RANK[a.event.stage] - STAGE_RANK[b.event.stage] ||
      a.atMs - b.atMs ||
      a.seq - b.seq,
  );
  const first = Math.min(...sorted.map((s) => s.atMs));
  return sorted.map((s, i) => {
    const previous = sorted[i - 1];
    return {
      ...s.event,
      sincePreviousMs: previous && keyOf(previous) === keyOf(s) ? s.atMs - previous.atMs : null,
      sinceFirstMs: s.atMs - first,
    };
  });
}

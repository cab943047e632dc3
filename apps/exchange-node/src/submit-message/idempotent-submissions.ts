import { Injectable } from '@nestjs/common';
import { resolveMessageType } from '@app/contracts';
import {
  type IdempotencyKeyRecord,
  IdempotencyKeysRepository,
  isIdempotencyKeyConflict,
} from '@app/persistence';
import type { ApiClient } from '@app/api-edge';
import { ExchangeError } from '../shared/exchange.error';
import { submissionDigest } from './idempotency-key';
import type { ValidSubmission } from './submit-message.dto';
import { SubmitMessageService, type SubmitResult } from './submit-message.service';

interface InFlight {
  readonly digest: string;
  readonly result: Promise<SubmitResult>;
}

/**
 * Submissions an agency's system may safely retry. With a key, the first submission stores the key
 * (and a digest of its body) in the transaction that stores the message; a later one with the same
 * key and body gets the first one's answer — the same id, 202 queued — and one with another body gets
 * 409 IDEMPOTENCY_KEY_REUSED. While the first is still being handled, a second in this process waits
 * for it; one reaching another replica of the node races it to the key's primary key, and the loser
 * answers with the winner's message (see `first`).
 * A refused submission stores no key: its retry is judged afresh. Keys are kept at least
 * PUENTE_IDEMPOTENCY_KEY_HOURS; housekeeping forgets them after that.
 */
@Injectable()
export class IdempotentSubmissions {
  private readonly inFlight = new Map<string, InFlight>();

  constructor(
    private readonly keys: IdempotencyKeysRepository,
    private readonly submitMessage: SubmitMessageService,
  ) {}

  async submit(client: ApiClient, dto: ValidSubmission, key: string | undefined): Promise<SubmitResult> {
    if (key === undefined) return this.submitMessage.submit(client, dto, { payloadValidated: true });
    // An unknown type is refused by the service; its digest is never stored.
    const digest = submissionDigest(dto, resolveMessageType(dto.type) ?? dto.type);
    const slot = `${client.id}\u0000${key}`;
    for (;;) {
      const running = this.inFlight.get(slot);
      if (running) {
        if (running.digest !== digest) throw reused();
        // The first one's answer; if it was refused, this one is judged on its own (next turn).
        const first = await running.result.then(
          (r) => r,
          () => undefined,
        );
        if (first) return first;
        continue;
      }
      const stored = await this.keys.find(client.id, key);
      if (stored) return replay(stored, digest);
      if (this.inFlight.has(slot)) continue; // another request took the slot while we looked
      const result = this.first(client, dto, key, digest);
      this.inFlight.set(slot, { digest, result });
      try {
        return await result;
      } finally {
        this.inFlight.delete(slot);
      }
    }
  }

  private async first(client: ApiClient, dto: ValidSubmission, key: string, digest: string) {
    try {
      return await this.submitMessage.submit(client, dto, {
        payloadValidated: true,
        idempotency: { key, requestSha256: digest },
      });
    } catch (error) {
      // Another process (or a request this one no longer tracks) committed the key first.
      if (!isIdempotencyKeyConflict(error)) throw error;
      const stored = await this.keys.find(client.id, key);
      if (!stored) throw error;
      return replay(stored, digest);
    }
  }
}

function replay(stored: IdempotencyKeyRecord, digest: string): SubmitResult {
  if (stored.requestSha256 !== digest) throw reused();
  return { id: stored.messageId, conversationId: stored.conversationId, status: 'queued' };
}

function reused(): ExchangeError {
  return new ExchangeError(
    'IDEMPOTENCY_KEY_REUSED',
    409,
    'this Idempotency-Key was used for a different submission',
    { rule: 'idempotencyKey' },
  );
}

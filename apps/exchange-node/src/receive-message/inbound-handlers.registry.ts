import { Injectable } from '@nestjs/common';
import type { EnvelopeFields } from '@app/contracts';

/** Runs after a message of its type is stored and acknowledged; must not throw (it is a wake-up, not work). */
export type InboundHook = (envelope: EnvelopeFields) => void;

/**
 * What other parts of the node want to hear about accepted messages, by message type — the passenger
 * risk responder registers for traveler risk queries — so receiving a message depends on no feature.
 */
@Injectable()
export class InboundHandlers {
  private readonly hooks = new Map<string, InboundHook[]>();

  register(type: string, hook: InboundHook): void {
    this.hooks.set(type, [...(this.hooks.get(type) ?? []), hook]);
  }

  accepted(envelope: EnvelopeFields): void {
    for (const hook of this.hooks.get(envelope.type) ?? []) hook(envelope);
  }
}

/** Time source, injected so that expiry, replay windows and retention can be tested with a controlled clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const CLOCK = Symbol('CLOCK');
export const NODE_CONFIG = Symbol('NODE_CONFIG');

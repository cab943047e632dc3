import type { Clock } from '@app/config';

/** A clock the test moves by hand, shared by the nodes of a network. */
export class ManualClock implements Clock {
  constructor(private current = new Date()) {}

  now(): Date {
    return new Date(this.current.getTime());
  }

  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 86_400_000);
  }
}

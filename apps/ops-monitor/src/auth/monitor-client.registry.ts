import { createHash } from 'node:crypto';
import type { MonitorClient } from '../config/monitor-config';

/** The clients file, indexed by token hash: the monitor never holds a bearer token, only its SHA-256. */
export class MonitorClientRegistry {
  private readonly byHash: ReadonlyMap<string, MonitorClient>;

  constructor(clients: readonly MonitorClient[]) {
    this.byHash = new Map(clients.map((c) => [c.tokenSha256, c]));
  }

  authenticate(token: string): MonitorClient | undefined {
    return this.byHash.get(createHash('sha256').update(token).digest('hex'));
  }
}

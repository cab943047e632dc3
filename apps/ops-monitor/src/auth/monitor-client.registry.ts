import type { ClientLookup } from '@app/api-edge';
import type { MonitorClient } from '../config/monitor-config';

/**
 * The clients file, indexed by token hash, for the shared bearer guard: the monitor never holds a
 * bearer token, only its SHA-256.
 */
export class MonitorClientRegistry implements ClientLookup {
  private readonly byHash: ReadonlyMap<string, MonitorClient>;

  constructor(clients: readonly MonitorClient[]) {
    this.byHash = new Map(clients.map((c) => [c.tokenSha256, c]));
  }

  findByTokenHash(tokenSha256: string): Promise<MonitorClient | undefined> {
    return Promise.resolve(this.byHash.get(tokenSha256));
  }
}

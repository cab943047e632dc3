import { Inject, Injectable } from '@nestjs/common';
import type { ApiClientFileEntry } from './client-scope';
import { API_CLIENTS } from '../shared/tokens';
import type { ClientScope } from './client-scope';

/** The scope of each API client, as the clients file read at start-up gives it (no entry: unscoped). */
@Injectable()
export class ClientScopes {
  private readonly byId: ReadonlyMap<string, ClientScope>;

  constructor(@Inject(API_CLIENTS) clients: readonly ApiClientFileEntry[]) {
    this.byId = new Map(clients.flatMap((c) => (c.scope ? [[c.id, c.scope] as const] : [])));
  }

  of(clientId: string): ClientScope | undefined {
    return this.byId.get(clientId);
  }
}

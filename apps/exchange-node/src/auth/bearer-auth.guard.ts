import { createHash } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiClientsRepository, type Db } from '@app/persistence';
import { ExchangeError } from '../shared/exchange.error';
import { DB } from '../shared/tokens';
import type { ApiClient, Role } from './api-client';
import { ROLES_KEY } from './roles.decorator';

/**
 * How long a valid token is taken on trust without asking the database again. The clients file is
 * written to the table at start-up; a row removed from the table by hand stops working within this.
 */
export const KNOWN_TOKEN_TTL_MS = 5_000;

/**
 * Bearer tokens issued per agency client. Routes marked with @Roles need a valid token carrying one
 * of the roles: 401 without valid credentials, 403 with the wrong role. A valid token is looked up
 * once per KNOWN_TOKEN_TTL_MS, not on every request; an unknown one every time.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  private readonly clients: ApiClientsRepository;
  /** By token hash; only tokens that matched a client, so at most one entry per client. */
  private readonly known = new Map<string, { client: ApiClient; until: number }>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(DB) db: Db,
  ) {
    this.clients = new ApiClientsRepository(db);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles) return true;
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; client?: ApiClient }>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match?.[1]) throw new ExchangeError('UNAUTHENTICATED', 401, 'a bearer token is required');
    const client = await this.clientOf(createHash('sha256').update(match[1]).digest('hex'));
    if (!client)
      throw new ExchangeError('UNAUTHENTICATED', 401, 'the bearer token is not valid for this node');
    if (!client.roles.some((r) => roles.includes(r))) {
      throw new ExchangeError(
        'FORBIDDEN_ROLE',
        403,
        `this route needs one of the roles: ${roles.join(', ')}`,
      );
    }
    request.client = client;
    return true;
  }

  private async clientOf(tokenSha256: string): Promise<ApiClient | undefined> {
    const now = Date.now();
    const known = this.known.get(tokenSha256);
    if (known && known.until > now) return known.client;
    const record = await this.clients.findByTokenHash(tokenSha256);
    if (!record) {
      this.known.delete(tokenSha256);
      return undefined;
    }
    const client: ApiClient = { id: record.id, agency: record.agency, roles: record.roles as Role[] };
    this.known.set(tokenSha256, { client, until: now + KNOWN_TOKEN_TTL_MS });
    return client;
  }
}

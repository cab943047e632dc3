import { createHash } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiClientsRepository, type Db } from '@app/persistence';
import { ExchangeError } from '../shared/exchange.error';
import { DB } from '../shared/tokens';
import type { ApiClient, Role } from './api-client';
import { ROLES_KEY } from './roles.decorator';

/**
 * Bearer tokens issued per agency client. Routes marked with @Roles need a valid token carrying one
 * of the roles: 401 without valid credentials, 403 with the wrong role.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  private readonly clients: ApiClientsRepository;

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
    const record = await this.clients.findByTokenHash(createHash('sha256').update(match[1]).digest('hex'));
    if (!record)
      throw new ExchangeError('UNAUTHENTICATED', 401, 'the bearer token is not valid for this node');
    const client: ApiClient = { id: record.id, agency: record.agency, roles: record.roles as Role[] };
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
}

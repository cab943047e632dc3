import { createHash } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CodedHttpError } from './coded-http.error';
import { type ApiClient, isRole, type Role } from './roles';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { CLIENT_LOOKUP, REQUEST_BUDGET } from './tokens';

/**
 * How long a valid token is taken on trust without asking the database again. The clients file is
 * written to the table at start-up; a row removed from the table by hand stops working within this.
 */
export const KNOWN_TOKEN_TTL_MS = 5_000;

/** Where clients are found by token hash: the node's api_clients table, the monitor's file in memory. */
export interface ClientLookup {
  findByTokenHash(
    tokenSha256: string,
  ): Promise<{ id: string; agency: string; roles: readonly string[] } | undefined>;
}

/** A request budget: `take(key)` is 0 when the request may go ahead, else the whole seconds to wait. */
export interface RequestBudget {
  take(key: string): number;
}

interface EdgeRequest {
  headers: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string };
  client?: ApiClient;
}

/**
 * Deny by default: every route needs a valid bearer token carrying one of its @Roles, unless it is
 * marked @Public(); a route with neither is refused to everyone. 401 without valid credentials, 403
 * with the wrong (or no known) role, 429 once the caller's request budget is spent — per client
 * once authenticated, per remote address before that (failed attempts included). A valid token is
 * looked up once per KNOWN_TOKEN_TTL_MS, not on every request; an unknown one every time.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  /** By token hash; only tokens that matched a client, so at most one entry per client. */
  private readonly known = new Map<string, { client: ApiClient; until: number }>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(REQUEST_BUDGET) private readonly budget: RequestBudget | null,
    @Inject(CLIENT_LOOKUP) private readonly clients: ClientLookup,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // The guard is global, and the inbox's Kafka handler inherits it: peers are not API clients,
    // their records are authenticated one by one by signature (InboundJudge).
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<EdgeRequest>();
    const byAddress = `address:${request.socket?.remoteAddress ?? 'unknown'}`;
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets) === true) {
      this.spend(byAddress);
      return true;
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    const header = request.headers.authorization;
    const match = /^Bearer\s+(\S+)$/i.exec(typeof header === 'string' ? header : '');
    if (!match?.[1]) {
      this.spend(byAddress);
      throw new CodedHttpError('UNAUTHENTICATED', 401, 'a bearer token is required');
    }
    const client = await this.clientOf(createHash('sha256').update(match[1]).digest('hex'));
    if (!client) {
      this.spend(byAddress);
      throw new CodedHttpError('UNAUTHENTICATED', 401, 'the bearer token is not valid here');
    }
    this.spend(`client:${client.id}`);
    if (!client.roles.some((r) => roles.includes(r))) {
      throw new CodedHttpError(
        'FORBIDDEN_ROLE',
        403,
        roles.length > 0
          ? `this route needs one of the roles: ${roles.join(', ')}`
          : 'this route is open to no role',
      );
    }
    request.client = client;
    return true;
  }

  private spend(key: string): void {
    const wait = this.budget?.take(key) ?? 0;
    if (wait > 0)
      throw new CodedHttpError('RATE_LIMITED', 429, `too many requests: try again in ${wait} s`, {
        retryAfterSeconds: wait,
      });
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
    // Roles this node does not know grant nothing (a client with only those gets 403 everywhere).
    const roles = record.roles.filter(isRole);
    const client: ApiClient = { id: record.id, agency: record.agency, roles };
    this.known.set(tokenSha256, { client, until: now + KNOWN_TOKEN_TTL_MS });
    return client;
  }
}

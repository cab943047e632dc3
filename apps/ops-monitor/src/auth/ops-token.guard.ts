import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { MonitorClient } from '../config/monitor-config';
import { MonitorError } from '../shared/monitor.error';
import { MONITOR_CLIENTS } from '../shared/tokens';
import type { MonitorClientRegistry } from './monitor-client.registry';

/**
 * The monitor's API and event stream need a bearer token of a client with the `ops` role: 401
 * without a valid token, 403 for a valid one without the role. Tokens are only accepted in the
 * Authorization header, never in the URL, where logs and browser history would keep them.
 */
@Injectable()
export class OpsTokenGuard implements CanActivate {
  constructor(@Inject(MONITOR_CLIENTS) private readonly clients: MonitorClientRegistry) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; client?: MonitorClient }>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match?.[1]) throw new MonitorError('UNAUTHENTICATED', 401, 'a bearer token is required');
    const client = this.clients.authenticate(match[1]);
    if (!client)
      throw new MonitorError('UNAUTHENTICATED', 401, 'the bearer token is not valid for the ops monitor');
    if (!client.roles.includes('ops'))
      throw new MonitorError('FORBIDDEN_ROLE', 403, 'the ops monitor needs a client with the ops role');
    request.client = client;
    return true;
  }
}

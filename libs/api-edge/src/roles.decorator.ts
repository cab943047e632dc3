import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { ApiClient, Role } from './roles';

export const ROLES_KEY = 'puente:roles';
export const PUBLIC_KEY = 'puente:public';

/**
 * The roles allowed to call a route; any one of them suffices. Every route needs a valid bearer
 * token unless marked @Public(); a route with neither decorator is refused to every client.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route anyone may call without a token (health, metrics, the API document). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The authenticated API client, set by BearerAuthGuard. */
export const CurrentClient = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): ApiClient =>
    ctx.switchToHttp().getRequest<{ client: ApiClient }>().client,
);

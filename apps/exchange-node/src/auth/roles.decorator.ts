import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { ApiClient, Role } from './api-client';

export const ROLES_KEY = 'puente:roles';

/** The roles allowed to call a route; any one of them suffices. Routes without it are public. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The authenticated API client, set by BearerAuthGuard. */
export const CurrentClient = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): ApiClient =>
    ctx.switchToHttp().getRequest<{ client: ApiClient }>().client,
);

import { createHash } from 'node:crypto';
import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { BearerAuthGuard, type ClientLookup, KNOWN_TOKEN_TTL_MS } from './bearer-auth.guard';
import type { ApiClient } from './roles';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { TokenBuckets } from './token-buckets';

const TOKEN = 'officer-token';

/** The clients as a list; counts the lookups the guard makes. */
function clientsTable(rows: { id: string; token: string; roles: string[] }[]) {
  const lookups: string[] = [];
  const lookup: ClientLookup = {
    findByTokenHash: (hash) => {
      lookups.push(hash);
      const row = rows.find((r) => createHash('sha256').update(r.token).digest('hex') === hash);
      return Promise.resolve(row && { id: row.id, agency: 'CBP', roles: row.roles });
    },
  };
  return { lookup, lookups, rows };
}

function request(token: string) {
  const req: { headers: Record<string, string>; client?: ApiClient } = {
    headers: { authorization: `Bearer ${token}` },
  };
  const context = {
    getHandler: () => undefined,
    getClass: () => undefined,
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  return { req, context };
}

describe('BearerAuthGuard', () => {
  /** A route's metadata, as the decorators would set it. */
  const route = (meta: { roles?: string[]; public?: boolean }) =>
    ({
      getAllAndOverride: (key: string) =>
        key === ROLES_KEY ? meta.roles : key === PUBLIC_KEY ? meta.public : undefined,
    }) as unknown as Reflector;
  const officerRoute = route({ roles: ['officer'] });
  const start = new Date('2026-11-29T12:00:00Z');

  beforeEach(() => jest.useFakeTimers({ now: start }));
  afterEach(() => jest.useRealTimers());

  it('asks the database once per valid token and interval, and again after it', async () => {
    const table = clientsTable([{ id: 'officer-1', token: TOKEN, roles: ['officer'] }]);
    const guard = new BearerAuthGuard(officerRoute, null, table.lookup);
    for (let i = 0; i < 3; i++) {
      const { req, context } = request(TOKEN);
      await expect(guard.canActivate(context)).resolves.toBe(true);
      expect(req.client).toEqual({ id: 'officer-1', agency: 'CBP', roles: ['officer'] });
    }
    expect(table.lookups).toHaveLength(1);

    // The client is removed from the table: its token works until the interval is over, then not.
    table.rows.length = 0;
    jest.setSystemTime(start.getTime() + KNOWN_TOKEN_TTL_MS - 1);
    await expect(guard.canActivate(request(TOKEN).context)).resolves.toBe(true);
    jest.setSystemTime(start.getTime() + KNOWN_TOKEN_TTL_MS);
    await expect(guard.canActivate(request(TOKEN).context)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(table.lookups).toHaveLength(2);
  });

  it('looks up an unknown token every time, and refuses it', async () => {
    const table = clientsTable([{ id: 'officer-1', token: TOKEN, roles: ['officer'] }]);
    const guard = new BearerAuthGuard(officerRoute, null, table.lookup);
    for (let i = 0; i < 2; i++)
      await expect(guard.canActivate(request('not-a-token').context)).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    expect(table.lookups).toHaveLength(2);
  });

  it('checks the role on every request, known token or not', async () => {
    const table = clientsTable([{ id: 'ops-1', token: TOKEN, roles: ['ops'] }]);
    const guard = new BearerAuthGuard(officerRoute, null, table.lookup);
    for (let i = 0; i < 2; i++)
      await expect(guard.canActivate(request(TOKEN).context)).rejects.toMatchObject({
        code: 'FORBIDDEN_ROLE',
      });
    expect(table.lookups).toHaveLength(1);
  });

  it('refuses a route without @Roles or @Public to every client, and a client with no known role', async () => {
    const table = clientsTable([
      { id: 'admin-1', token: TOKEN, roles: ['officer', 'ops', 'admin'] },
      { id: 'odd-1', token: 'odd-token', roles: ['superuser'] },
    ]);
    await expect(
      new BearerAuthGuard(route({}), null, table.lookup).canActivate(request(TOKEN).context),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await expect(
      new BearerAuthGuard(officerRoute, null, table.lookup).canActivate(request('odd-token').context),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    // Without a token at all, the unmarked route is a 401 like any other.
    await expect(
      new BearerAuthGuard(route({}), null, table.lookup).canActivate(request('').context),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('lets anyone call a @Public route, within the budget of their address', async () => {
    const table = clientsTable([]);
    const guard = new BearerAuthGuard(route({ public: true }), new TokenBuckets(1, 2), table.lookup);
    await expect(guard.canActivate(request('').context)).resolves.toBe(true);
    await expect(guard.canActivate(request('').context)).resolves.toBe(true);
    await expect(guard.canActivate(request('').context)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      details: { retryAfterSeconds: 1 },
    });
    expect(table.lookups).toHaveLength(0);
  });

  it("spends an authenticated client's own budget, and failed attempts the address's", async () => {
    const table = clientsTable([{ id: 'officer-1', token: TOKEN, roles: ['officer'] }]);
    const guard = new BearerAuthGuard(officerRoute, new TokenBuckets(1, 1), table.lookup);
    await expect(guard.canActivate(request('wrong').context)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(guard.canActivate(request('wrong').context)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(guard.canActivate(request(TOKEN).context)).resolves.toBe(true);
    await expect(guard.canActivate(request(TOKEN).context)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('leaves the Kafka inbox to the signature checks', async () => {
    const table = clientsTable([]);
    const kafka = { ...request('').context, getType: () => 'rpc' } as unknown as ExecutionContext;
    await expect(new BearerAuthGuard(officerRoute, null, table.lookup).canActivate(kafka)).resolves.toBe(
      true,
    );
    expect(table.lookups).toHaveLength(0);
  });
});

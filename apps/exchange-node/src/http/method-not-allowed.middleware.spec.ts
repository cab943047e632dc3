import type { NextFunction, Request, Response } from 'express';
import { methodNotAllowed } from './method-not-allowed.middleware';

describe('methodNotAllowed', () => {
  const middleware = methodNotAllowed([
    { path: '/v1/messages', methods: ['post'] },
    { path: '/v1/messages/batch', methods: ['post'] },
    { path: '/v1/messages/{id}', methods: ['get'] },
  ]);

  function call(method: string, path: string) {
    const headers: Record<string, string> = {};
    let status: number | undefined;
    let passed: unknown = 'not called';
    const res = {
      setHeader: (name: string, value: string) => (headers[name] = value),
      status: (s: number) => ((status = s), { end: () => undefined }),
    } as unknown as Response;
    middleware({ method, path } as Request, res, ((error?: unknown) => (passed = error)) as NextFunction);
    return { headers, status, passed };
  }

  it('lets a served method through, HEAD with GET', () => {
    expect(call('POST', '/v1/messages').passed).toBeUndefined();
    expect(call('HEAD', '/v1/messages/0190a6f4').passed).toBeUndefined();
  });

  it('answers another method on a known path with 405 and Allow', () => {
    const trace = call('TRACE', '/v1/messages');
    expect(trace.headers.Allow).toBe('OPTIONS, POST');
    expect(trace.passed).toMatchObject({ code: 'METHOD_NOT_ALLOWED', status: 405 });
    // A literal path answers for itself, though it also fits /v1/messages/{id}.
    expect(call('GET', '/v1/messages/batch').headers.Allow).toBe('OPTIONS, POST');
    expect(call('DELETE', '/v1/messages/0190a6f4').headers.Allow).toBe('GET, HEAD, OPTIONS');
  });

  it('answers OPTIONS with 204 and Allow, and leaves unknown paths to the router', () => {
    const options = call('OPTIONS', '/v1/messages');
    expect([options.status, options.headers.Allow, options.passed]).toEqual([
      204,
      'OPTIONS, POST',
      'not called',
    ]);
    expect(call('TRACE', '/v1/elsewhere').passed).toBeUndefined();
    expect(call('TRACE', '/v1/messages/a/b').passed).toBeUndefined();
  });
});

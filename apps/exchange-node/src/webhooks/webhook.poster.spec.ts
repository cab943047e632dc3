import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { postWebhook } from './webhook.poster';
import { verifyWebhookSignature, webhookSignature } from './webhook.signature';

/** Receivers are hostile: each behaviour here is one a receiver could have. */
describe('postWebhook against hostile receivers', () => {
  let server: Server;
  let url: string;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      switch (req.url ?? '') {
        case '/ok':
          res.writeHead(204).end();
          return;
        case '/fail':
          res.writeHead(500).end('secret internals of the receiver');
          return;
        case '/redirect':
          res.writeHead(302, { location: '/ok' }).end();
          return;
        case '/endless': {
          // 200 and a body that never ends: the node reads a little and stops.
          res.writeHead(200);
          const chunk = Buffer.alloc(64 * 1024, 'x');
          const pump = () => {
            while (res.write(chunk));
          };
          res.on('drain', pump);
          pump();
          return;
        }
        default:
          return; // never answers
      }
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it('counts only a 2xx, in its own words, and never follows a redirect', async () => {
    expect(await postWebhook(`${url}/ok`, {}, '{}', 2000)).toEqual({ ok: true });
    expect(await postWebhook(`${url}/fail`, {}, '{}', 2000)).toEqual({ ok: false, error: 'HTTP 500' });
    expect(await postWebhook(`${url}/redirect`, {}, '{}', 2000)).toEqual({ ok: false, error: 'HTTP 302' });
  });

  it('gives up on a receiver that never answers, and stops reading an endless body', async () => {
    const started = Date.now();
    expect(await postWebhook(`${url}/silent`, {}, '{}', 300)).toEqual({ ok: false, error: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await postWebhook(`${url}/endless`, {}, '{}', 5000)).toEqual({ ok: true });
    expect(await postWebhook('http://127.0.0.1:1/', {}, '{}', 2000)).toEqual({
      ok: false,
      error: 'connection failed (ECONNREFUSED)',
    });
  });
});

describe('webhook signatures', () => {
  const secret = Buffer.from('a'.repeat(43));
  const body = '{"id":"e1"}';

  it('verifies its own signature and refuses a changed body, another secret or an old timestamp', () => {
    const now = 1_800_000_000;
    const header = webhookSignature(secret, now, body);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, header, body, now + 10)).toBe(true);
    expect(verifyWebhookSignature(secret, header, '{"id":"e2"}', now)).toBe(false);
    expect(verifyWebhookSignature(Buffer.from('b'.repeat(43)), header, body, now)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, now + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, 'v1=zz', body, now)).toBe(false);
    expect(verifyWebhookSignature(secret, undefined, body, now)).toBe(false);
  });
});

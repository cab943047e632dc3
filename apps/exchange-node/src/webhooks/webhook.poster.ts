import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The most of a receiver's answer ever read: its body is not used, only drained a little. */
const MAX_RESPONSE_BYTES = 4096;

export type PostOutcome = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * POSTs one delivery. The receiver is treated as hostile: one deadline covers connecting, sending
 * and the answer; at most MAX_RESPONSE_BYTES of its body are read; redirects are not followed; only
 * a 2xx counts. The error is in the node's own words (status, timeout, connection failure), never
 * the receiver's text.
 */
export function postWebhook(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  timeoutMs: number,
): Promise<PostOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(() => finish({ ok: false, error: 'timeout' }), timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish({ ok: false, error: `connection failed${error.code ? ` (${error.code})` : ''}` }),
    );
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) done();
      });
      res.on('end', () => done());
      res.on('error', () => done());
      function done(): void {
        finish(status >= 200 && status < 300 ? { ok: true } : { ok: false, error: `HTTP ${status}` });
      }
    });
    req.end(body);
  });
}

import { Agent, request } from 'node:http';

/**
 * The bench driver's HTTP client: node:http over kept-alive connections. It shares the machine with
 * what it measures, so it should cost as little CPU per request as possible (less than fetch).
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

let resent = 0;

/** How many requests this process has sent a second time after the kept-alive race (see `send`). */
export function resentRequests(): number {
  return resent;
}

export function postJson(
  url: string,
  token: string,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  return send(url, token, JSON.stringify(body), true);
}

/**
 * A kept-alive socket the server closed as idle just as the request went out fails with ECONNRESET
 * before the server read anything: that one request is sent once more, on a new socket (the retry
 * Node's http documentation gives for this race). Any other failure is the caller's.
 */
function send(
  url: string,
  token: string,
  data: string,
  mayRetry: boolean,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (mayRetry && req.reusedSocket && error.code === 'ECONNRESET') {
        resent += 1;
        send(url, token, data, false).then(resolve, reject);
      } else reject(error);
    });
    req.end(data);
  });
}

import { Agent, request } from 'node:http';

/**
 * The bench driver's HTTP client: node:http over kept-alive connections. It shares the machine with
 * what it measures, so it should cost as little CPU per request as possible (less than fetch).
 *
 * Kept-alive sockets idle for 4 s are closed here, before the node closes them at its 5 s
 * (Node's default `keepAliveTimeout`): otherwise the driver can pick a socket just as the node closes
 * it, and the request fails with ECONNRESET or "socket hang up". Node 20's agent does not act on
 * the server's `Keep-Alive: timeout=5` hint unless it has a timeout of its own. The timeout does not
 * cut short a slow answer: on a request in progress it only emits an event nobody listens to.
 */
const IDLE_SOCKET_MS = 4_000;
const agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: IDLE_SOCKET_MS });

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
 * before the server read anything: that one request is sent once more (the retry Node's http
 * documentation gives for this race; the idle timeout above makes it rare). Any other failure is
 * the caller's, and says which request failed and on what kind of socket.
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
      } else
        reject(
          new Error(
            `POST ${url}: ${error.message} (${error.code ?? 'no code'}; ${req.reusedSocket ? 'kept-alive' : 'new'} socket${mayRetry ? '' : ', a re-send'})`,
            { cause: error },
          ),
        );
    });
    req.end(data);
  });
}

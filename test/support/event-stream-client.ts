import { type ClientRequest, get as httpGet } from 'node:http';

/** One server-sent event as `GET /v1/events` frames it. */
export interface StreamedEvent {
  readonly id: string;
  readonly event: string;
  readonly data: {
    readonly id: string;
    readonly type: string;
    readonly data: { readonly messageId: string };
  };
}

/**
 * A client of a node's event stream: reads frames as they come and can be cut off at any moment,
 * as a network failure would.
 */
export class EventStreamClient {
  readonly events: StreamedEvent[] = [];
  status = 0;
  private request: ClientRequest | undefined;
  private buffer = '';

  /** Over node:http, so closing destroys the connection at once, as a client that goes away does. */
  static open(url: string, token: string, lastEventId?: string): Promise<EventStreamClient> {
    const client = new EventStreamClient();
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    return new Promise((resolve, reject) => {
      const req = httpGet(`${url}/v1/events`, { headers }, (res) => {
        client.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.take(chunk));
        res.on('error', () => undefined);
        resolve(client);
      });
      client.request = req;
      req.on('error', reject);
    });
  }

  get lastId(): string | undefined {
    return this.events[this.events.length - 1]?.id;
  }

  close(): Promise<void> {
    this.request?.destroy();
    return Promise.resolve();
  }

  private take(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const fields = new Map<string, string>();
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) continue;
        const i = line.indexOf(': ');
        if (i > 0) fields.set(line.slice(0, i), line.slice(i + 2));
      }
      const data = fields.get('data');
      if (data === undefined) continue;
      this.events.push({
        id: fields.get('id') ?? '',
        event: fields.get('event') ?? '',
        data: JSON.parse(data) as StreamedEvent['data'],
      });
    }
  }
}

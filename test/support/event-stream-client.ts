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
 * A client of a node's event stream: reads frames as they come and can be cut off (abort) at any
 * moment, as a network failure would.
 */
export class EventStreamClient {
  readonly events: StreamedEvent[] = [];
  status = 0;
  private readonly abort = new AbortController();
  private done: Promise<void> = Promise.resolve();

  static async open(url: string, token: string, lastEventId?: string): Promise<EventStreamClient> {
    const client = new EventStreamClient();
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const res = await fetch(`${url}/v1/events`, { headers, signal: client.abort.signal });
    client.status = res.status;
    if (res.status === 200 && res.body) client.done = client.read(res.body);
    else await res.text();
    return client;
  }

  get lastId(): string | undefined {
    return this.events[this.events.length - 1]?.id;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done.catch(() => undefined);
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
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
    } catch {
      // aborted: what was read stays in `events`
    }
  }
}

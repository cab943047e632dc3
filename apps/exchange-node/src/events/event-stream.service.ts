import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Response } from 'express';
import { NODE_CONFIG, type NodeConfig } from '@app/config';
import { NodeEventsRepository } from '@app/persistence';
import type { ApiClient } from '@app/api-edge';
import { ExchangeError } from '../shared/exchange.error';
import { eventBody } from './node-event.body';

/** Events sent per read; a stream catching up reads again at once. */
const PAGE = 100;
/** A comment line this often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * `GET /v1/events`: the node's events as server-sent events, `id:` being the event's sequence
 * number, so a client that reconnects with `Last-Event-ID` continues right after the last event it
 * saw, missing none. Each API client holds at most `streamsPerClient` streams; every stream is ended
 * when the node shuts down (clients reconnect and resume).
 */
@Injectable()
export class EventStreamService implements OnModuleDestroy {
  private readonly open = new Map<string, number>();
  private readonly streams = new Set<Response>();

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    private readonly events: NodeEventsRepository,
  ) {}

  onModuleDestroy(): void {
    for (const res of this.streams) res.end();
  }

  /** A stream from after `lastSeq` (all retained events for "0"; from now when absent). */
  async serve(client: ApiClient, lastSeq: string | undefined, res: Response): Promise<void> {
    const held = this.open.get(client.id) ?? 0;
    if (held >= this.config.events.streamsPerClient) throw ExchangeError.rateLimited(5);
    this.open.set(client.id, held + 1);
    this.streams.add(res);
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    try {
      let cursor = lastSeq ?? (await this.events.lastSeq());
      res.status(200);
      res.setHeader('content-type', 'text/event-stream; charset=utf-8');
      res.setHeader('cache-control', 'no-store');
      res.setHeader('x-accel-buffering', 'no');
      res.flushHeaders();
      let quietSince = Date.now();
      while (!closed && !res.writableEnded) {
        const page = await this.events.after(cursor, PAGE);
        for (const event of page) {
          if (closed) break;
          const frame = `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(eventBody(this.config.party, event))}\n\n`;
          if (!res.write(frame)) await drained(res);
          cursor = event.seq;
        }
        if (page.length > 0) quietSince = Date.now();
        else if (Date.now() - quietSince >= HEARTBEAT_MS) {
          res.write(': keep-alive\n\n');
          quietSince = Date.now();
        }
        if (page.length < PAGE) await sleep(this.config.events.pollMs);
      }
    } catch (error) {
      // Once the stream has begun, a fault (the database away) ends it; the client resumes from its last id.
      if (!res.headersSent) throw error;
    } finally {
      this.streams.delete(res);
      const now = (this.open.get(client.id) ?? 1) - 1;
      if (now > 0) this.open.set(client.id, now);
      else this.open.delete(client.id);
      if (!res.writableEnded) res.end();
    }
  }
}

/** Resolves once the client took what was written, or is gone (also when it left before we asked). */
function drained(res: Response): Promise<void> {
  if (res.destroyed || res.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { verifyWebhookSignature } from '../../apps/exchange-node/src/webhooks/webhook.signature';

export interface Delivery {
  readonly endpoint: string;
  readonly headerEventId: string | undefined;
  readonly signatureValid: boolean;
  readonly body: {
    readonly id: string;
    readonly sequence: string;
    readonly type: string;
    readonly data: {
      readonly messageId: string;
      readonly conversationId: string;
      readonly inReplyTo: string | null;
    };
  };
}

/**
 * A back-office system's webhook receiver on 127.0.0.1: one path per endpoint, each with its secret;
 * it checks every delivery's signature over the raw body, answers the first `failFirst` deliveries
 * with 500 and the rest with 204, and keeps what it accepted in arrival order. `silent`: it takes the
 * connection and never answers.
 */
export class WebhookReceiver {
  readonly accepted: Delivery[] = [];
  failures = 0;
  requests = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly secrets: ReadonlyMap<string, Buffer>,
    private readonly failFirst: number,
  ) {}

  static async start(
    secrets: ReadonlyMap<string, Buffer>,
    options: { failFirst?: number; silent?: boolean } = {},
  ): Promise<WebhookReceiver> {
    const server = createServer();
    const self = new WebhookReceiver(server, secrets, options.failFirst ?? 0);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!options.silent) self.handle(req, res); // silent: takes the request, never answers
    });
    server.on('connection', (socket) => {
      self.sockets.add(socket);
      socket.on('close', () => self.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  url(endpoint: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${endpoint}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.requests += 1;
      if (this.failures < this.failFirst) {
        this.failures += 1;
        res.writeHead(500).end('not now');
        return;
      }
      const endpoint = (req.url ?? '/').slice(1);
      const raw = Buffer.concat(chunks).toString('utf8');
      const secret = this.secrets.get(endpoint);
      const header = req.headers['puente-signature'];
      this.accepted.push({
        endpoint,
        headerEventId:
          typeof req.headers['puente-event-id'] === 'string' ? req.headers['puente-event-id'] : undefined,
        signatureValid:
          secret !== undefined &&
          verifyWebhookSignature(
            secret,
            typeof header === 'string' ? header : undefined,
            raw,
            Math.floor(Date.now() / 1000),
          ),
        body: JSON.parse(raw) as Delivery['body'],
      });
      res.writeHead(204).end();
    });
  }
}

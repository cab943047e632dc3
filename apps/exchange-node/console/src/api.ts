/** The node's own REST API, called with the officer's bearer token (no other way in). */

export interface Receipt {
  outcome: 'ACCEPTED' | 'REJECTED';
  reasonCode?: string;
  rule?: string;
  detail?: string;
  at: string;
}

export interface Message {
  id: string;
  direction: 'outbound' | 'inbound';
  conversationId: string;
  inReplyTo?: string;
  type: string;
  from: string;
  to: string;
  agreement: string;
  purpose: string;
  createdAt: string;
  expiresAt: string;
  status: string;
  receipt?: Receipt;
  payload: Record<string, unknown>;
  overdue?: boolean;
  redactedAt?: string;
  personalDataWithheld?: boolean;
  withheldBy?: 'readableBy' | 'purpose';
  replies?: Message[];
}

export interface Agreement {
  id: string;
  title: string;
  parties: { party: string; role: string }[];
  channels: { from: string[]; to: string[]; types: string[] }[];
  purposes: string[];
}

export interface FieldError {
  path: string;
  rule: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export interface Submission {
  type: string;
  to: string;
  agreement: string;
  purpose: string;
  inReplyTo?: string;
  payload: Record<string, unknown>;
}

/**
 * Why the officer reads, declared once at sign-in and sent with every call (`X-Puente-Purpose`): the
 * node records it in its access log with each read of personal data, refuses such reads without one,
 * and shows personal data only for one of its agreement's purposes (ATS-G's are
 * `traveler-risk-assessment` and `border-security`); case handling and audit review see it withheld.
 */
export const READ_PURPOSES = [
  'case-handling',
  'traveler-risk-assessment',
  'border-security',
  'audit-review',
] as const;
export type ReadPurpose = (typeof READ_PURPOSES)[number];

export class Api {
  constructor(
    private readonly token: string,
    private readonly purpose: ReadPurpose = 'case-handling',
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        'x-puente-purpose': this.purpose,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok)
      throw new ApiError(
        res.status,
        typeof data.code === 'string' ? data.code : `HTTP_${res.status}`,
        typeof data.message === 'string' ? data.message : res.statusText,
        Array.isArray(data.errors) ? (data.errors as FieldError[]) : [],
      );
    return data as T;
  }

  /** Which administration this node is; a 503 (degraded) still names it. */
  async party(): Promise<string> {
    const res = await fetch('/health');
    const data = (await res.json()) as { party?: string };
    return String(data.party ?? '');
  }
  agreements(): Promise<Agreement[]> {
    return this.call('GET', '/v1/agreements');
  }
  decide(q: { to: string; type: string; agreement: string; purpose: string; inReplyTo?: string }) {
    return this.call<{ permitted: boolean; reason?: string }>('POST', '/v1/agreements/decisions', q);
  }
  inbox(): Promise<Message[]> {
    return this.call('GET', '/v1/inbox?limit=500');
  }
  sent(): Promise<Message[]> {
    return this.call('GET', '/v1/sent?limit=500');
  }
  conversation(id: string): Promise<Message[]> {
    return this.call('GET', `/v1/conversations/${encodeURIComponent(id)}`);
  }
  message(id: string): Promise<Message> {
    return this.call('GET', `/v1/messages/${encodeURIComponent(id)}`);
  }
  submit(s: Submission): Promise<{ id: string; conversationId: string; status: string }> {
    return this.call('POST', '/v1/messages', s);
  }
}

/** The OpenAPI document the node publishes: the same schemas its validation uses. */
export async function openApiDocument(): Promise<OpenApi> {
  const res = await fetch('/docs-json');
  return (await res.json()) as OpenApi;
}

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: string[];
  pattern?: string;
  description?: string;
  maxLength?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
}

export interface OpenApi {
  components: { schemas: Record<string, Schema> };
}

export function shortType(type: string): string {
  return type.slice(type.lastIndexOf('.') + 1);
}

/** A value shown as text: strings and numbers as they are, anything else as nothing. */
export function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

/** A small typed HTTP client for a node's REST API, as an agency's system would call it. */
export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
}

export interface ErrorBody {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  readonly rule?: string;
  readonly agreementId?: string;
  readonly errors?: readonly { path: string; rule: string; message: string }[];
}

export interface SubmitBody {
  readonly id: string;
  readonly conversationId: string;
  readonly status: string;
}

export interface MessageBody {
  readonly id: string;
  readonly direction: 'outbound' | 'inbound';
  readonly conversationId: string;
  readonly inReplyTo?: string;
  readonly type: string;
  readonly from: string;
  readonly to: string;
  readonly agreement: string;
  readonly purpose: string;
  readonly createdAt: string;
  readonly status: string;
  readonly receipt?: { outcome: string; reasonCode?: string; rule?: string; detail?: string; at: string };
  readonly payload: Record<string, unknown>;
  readonly redactedAt?: string;
  readonly maskedAt?: string;
  readonly personalDataWithheld?: boolean;
  readonly overdue?: boolean;
  readonly replies?: MessageBody[];
}

/** A 2xx body or an error body: tests check `status` and then read what they expect. */
export type Answer<T> = ApiResponse<T & Partial<ErrorBody>>;

/**
 * The purpose tests declare on reads unless they choose another (or none): see withPurpose. Personal
 * data is readable only for one of its agreement's purposes (or a use its provider consented to), and
 * the only agreement holding personal data is ATS-G, so tests read as a traveler-risk analyst would.
 */
export const TEST_READ_PURPOSE = 'traveler-risk-assessment';

export class TestApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
    private readonly purpose: string | null = TEST_READ_PURPOSE,
  ) {}

  withToken(token: string | undefined): TestApi {
    return new TestApi(this.baseUrl, token, this.purpose);
  }

  /** The same client declaring another purpose in X-Puente-Purpose, or none (null). */
  withPurpose(purpose: string | null): TestApi {
    return new TestApi(this.baseUrl, this.token, purpose);
  }

  submit(body: unknown): Promise<Answer<SubmitBody>> {
    return this.post('/v1/messages', body);
  }

  /** A submission an agency's system may retry: the same key and body answer with the same id. */
  submitWithKey(body: unknown, key: string): Promise<Answer<SubmitBody>> {
    return this.request('POST', '/v1/messages', JSON.stringify(body), { 'idempotency-key': key });
  }

  message(id: string): Promise<Answer<MessageBody>> {
    return this.get(`/v1/messages/${id}`);
  }

  inbox(query = ''): Promise<Answer<MessageBody[]>> {
    return this.get(`/v1/inbox${query}`);
  }

  conversation(id: string): Promise<Answer<MessageBody[]>> {
    return this.get(`/v1/conversations/${id}`);
  }

  get<T = unknown>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path);
  }

  post<T = unknown>(path: string, body: unknown): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, JSON.stringify(body));
  }

  async request<T>(
    method: string,
    path: string,
    rawBody?: string,
    extraHeaders: Readonly<Record<string, string>> = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.purpose !== null) headers['x-puente-purpose'] = this.purpose;
    Object.assign(headers, extraHeaders);
    if (rawBody !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: rawBody });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: body as T };
  }
}

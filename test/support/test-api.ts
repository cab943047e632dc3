/** A small typed HTTP client for a node's REST API, as an agency's system would call it. */
export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

export class TestApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  withToken(token: string | undefined): TestApi {
    return new TestApi(this.baseUrl, token);
  }

  get<T = any>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body: unknown): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, JSON.stringify(body));
  }

  async request<T>(method: string, path: string, rawBody?: string): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
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

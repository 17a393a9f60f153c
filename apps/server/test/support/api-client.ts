/** A tiny HTTP client for tests: keeps the session cookie and CSRF token like the browser does. */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiClient {
  cookie: string | undefined;
  csrfToken: string | undefined;
  bearer: string | undefined;

  constructor(readonly baseUrl: string) {}

  /** A client authenticating with a personal API token instead of a session. */
  withToken(token: string): ApiClient {
    const c = new ApiClient(this.baseUrl);
    c.bearer = token;
    return c;
  }

  async login(email: string, password: string): Promise<ApiResponse> {
    const res = await this.request('POST', '/api/auth/login', { email, password });
    if (res.status === 200) {
      this.csrfToken = res.body.csrfToken;
      const setCookie = res.headers.get('set-cookie');
      this.cookie = setCookie?.split(';')[0];
    }
    return res;
  }

  get<T = any>(path: string, headers: Record<string, string> = {}) {
    return this.request<T>('GET', path, undefined, headers);
  }
  post<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request<T>('POST', path, body, headers);
  }
  patch<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request<T>('PATCH', path, body, headers);
  }
  put<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request<T>('PUT', path, body, headers);
  }
  delete<T = any>(path: string, headers: Record<string, string> = {}) {
    return this.request<T>('DELETE', path, undefined, headers);
  }

  /** A multipart upload: form fields first, then the file (the order the server reads them in). */
  async upload<T = any>(
    path: string,
    file: { name: string; content: Buffer | string; type?: string },
    fields: Record<string, string> = {},
  ) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append(
      'file',
      new Blob([typeof file.content === 'string' ? file.content : new Uint8Array(file.content)], {
        type: file.type ?? 'application/octet-stream',
      }),
      file.name,
    );
    const headers: Record<string, string> = {};
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    else if (this.cookie) {
      headers.cookie = this.cookie;
      if (this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    }
    const res = await fetch(this.baseUrl + path, { method: 'POST', headers, body: form });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
  }

  async request<T = any>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    else if (this.cookie) {
      headers.cookie = this.cookie;
      if (this.csrfToken && method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    }
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: { ...headers, ...extra },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
}

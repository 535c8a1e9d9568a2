import { CliError } from '../support/known-errors.js';

/** A server's refusal or failure: the message says what to do; `status` is the HTTP status. */
export class ServerAnswerError extends CliError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message, status === 400 ? 2 : 1);
  }
}

export type QueryValues = Record<string, string | number | boolean | undefined>;

/**
 * A lessonloop server's HTTP API as a CLI command uses it: JSON in and out, `Authorization: Bearer
 * $LESSONLOOP_TOKEN` when set, and every failure a CliError whose message says what to do (never a stack).
 */
export class ServerClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined = blankToUndefined(process.env.LESSONLOOP_TOKEN),
  ) {}

  get<T>(route: string, query: QueryValues = {}): Promise<T> {
    return this.send<T>('GET', route, undefined, query);
  }

  async send<T>(method: string, route: string, body?: unknown, query: QueryValues = {}): Promise<T> {
    const response = await this.fetch(method, route, body, query);
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** A POST answered with NDJSON, one object per line as the server writes it (progress, then the result). */
  async stream(route: string, body: unknown, onLine: (line: Record<string, unknown>) => void): Promise<void> {
    const response = await this.fetch('POST', route, body, {});
    const decoder = new TextDecoder();
    let rest = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      rest += decoder.decode(chunk, { stream: true });
      const lines = rest.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') onLine(JSON.parse(line) as Record<string, unknown>);
    }
    if (rest.trim() !== '') onLine(JSON.parse(rest) as Record<string, unknown>);
  }

  /** Every page of a list endpoint answering {items, total}: `limit` rows at most, fetched `pageSize` at a time. */
  async all<T>(route: string, query: QueryValues, limit: number, pageSize = 500): Promise<{ items: T[]; total: number }> {
    const items: T[] = [];
    let total = 0;
    for (let offset = Number(query.offset ?? 0); ; ) {
      const page = await this.get<{ items: T[]; total: number }>(route, { ...query, offset, limit: Math.min(pageSize, limit - items.length) });
      items.push(...page.items);
      total = page.total;
      offset += page.items.length;
      if (page.items.length === 0 || items.length >= limit || offset >= total) return { items, total };
    }
  }

  private async fetch(method: string, route: string, body: unknown, query: QueryValues): Promise<Response> {
    const url = new URL(`${this.baseUrl}${route}`);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`cannot reach the lessonloop server at ${this.baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message})`);
    }
    if (response.ok) return response;
    throw new ServerAnswerError(await failureMessage(response, method, url, this.token !== undefined), response.status);
  }
}

async function failureMessage(response: Response, method: string, url: URL, hadToken: boolean): Promise<string> {
  const text = await response.text().catch(() => '');
  let detail = text.slice(0, 2_000);
  try {
    // Routes list what was wrong as `errors` or (zod bodies) `problems`, each {field, reason}.
    const body = JSON.parse(text) as { message?: unknown; errors?: { field?: string; reason?: string }[]; problems?: { field?: string | null; reason?: string }[] };
    const listed = Array.isArray(body.errors) ? body.errors : Array.isArray(body.problems) ? body.problems : [];
    const errors = listed.map((e) => `${e.field ?? ''}: ${e.reason ?? ''}`).join('; ');
    detail = [typeof body.message === 'string' ? body.message : Array.isArray(body.message) ? body.message.join('; ') : '', errors].filter(Boolean).join(': ') || detail;
  } catch {
    // not JSON: the text as it is
  }
  const where = `${method} ${url.pathname}`;
  if (response.status === 401 || response.status === 403) {
    const hint = hadToken
      ? 'LESSONLOOP_TOKEN is not accepted for this (it needs a token with the right scope in the server\'s LESSONLOOP_API_TOKENS)'
      : 'set LESSONLOOP_TOKEN to a token the server accepts (`lessonloop tokens create <name> --scopes read,write` makes one)';
    return `the server refused ${where} (${response.status}${detail ? `: ${detail}` : ''}); ${hint}`;
  }
  return `the server answered ${where} with ${response.status}${detail ? `: ${detail}` : ''}`;
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

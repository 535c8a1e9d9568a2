/** JSON from the API on the same origin: GETs with the optional read token (LESSONLOOP_REQUIRE_READ_TOKEN) from sessionStorage. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const TOKEN_KEY = 'lessonloop.readToken';
export const readToken = () => sessionStorage.getItem(TOKEN_KEY);
export const setReadToken = (token: string) => sessionStorage.setItem(TOKEN_KEY, token);

export async function get<T>(path: string, params: Record<string, string | number | boolean | null | undefined> = {}): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '' && v !== false) q.set(k, String(v));
  const qs = q.toString();
  const token = readToken();
  return answer<T>(await fetch(`${path}${qs ? `?${qs}` : ''}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} }));
}

/** POST JSON with a token given for this call (a write token is never kept). */
export async function post<T>(path: string, body: unknown, token: string): Promise<T> {
  return answer<T>(await fetch(path, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
}

async function answer<T>(res: Response): Promise<T> {
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { message?: unknown };
      if (body.message) message = `${res.status}: ${typeof body.message === 'string' ? body.message : JSON.stringify(body.message)}`;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(res.status, message);
  }
  return (await res.json()) as T;
}

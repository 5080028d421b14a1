import { currentLang } from './i18n.ts';

/** A server problem (application/problem+json), with both languages kept. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly detail: string,
    readonly body: Record<string, unknown>,
  ) {
    super(detail);
  }
}

export async function api<T = unknown>(
  path: string,
  init: { method?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { 'accept-language': currentLang(), ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  let res: Response;
  try {
    res = await fetch(path, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'urn:provesal:problem:offline', currentLang() === 'da' ? 'Ingen forbindelse til serveren.' : 'No connection to the server.', {});
  }
  const type = res.headers.get('content-type') ?? '';
  if (!res.ok) {
    const problem = type.includes('json')
      ? await res.json().catch(() => {
          return {}; // a body that says JSON but is not: the status line below stands in for its detail
        })
      : {};
    const detail = (problem.detail as string) ?? `${res.status} ${res.statusText}`;
    if (res.status === 401 && !path.startsWith('/api/auth/')) window.dispatchEvent(new CustomEvent('provesal:signed-out'));
    throw new ApiError(res.status, problem.type ?? 'about:blank', detail, problem);
  }
  if (type.includes('json')) return (await res.json()) as T;
  return (await res.blob()) as T;
}

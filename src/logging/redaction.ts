/**
 * What never reaches a log line. pino's `redact` paths match exact keys; `*` stands for one level, so the
 * common places a secret can sit (a header, a top-level field, a field of a logged object) are listed.
 */
const SECRET_KEYS = ['token', 'accessToken', 'apiToken', 'refreshToken', 'password', 'secret', 'apiKey'];

export const REDACTED_PATHS: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'authorization',
  'headers.authorization',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

export const REDACTION_CENSOR = '[redacted]';

const SECRET_QUERY_PARAM = /token|secret|password|api[-_]?key|auth/i;

/** Blanks the values of query parameters whose name suggests a secret (`/x?token=abc` -> `/x?token=[redacted]`). */
export function redactUrlSecrets(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const params = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return eq >= 0 && SECRET_QUERY_PARAM.test(decodeURIComponentSafe(name)) ? `${name}=${REDACTION_CENSOR}` : pair;
    });
  return `${url.slice(0, queryStart)}?${params.join('&')}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

import { z } from 'zod';

/** Every setting lessonloop reads, validated once at start. Unknown variables are ignored. */
export const appConfigSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
  EVENTSTORE_CONNECTION_STRING: z
    .string()
    .regex(/^(esdb|kurrentdb|kurrent)(\+discover)?:\/\//, 'must start with esdb:// (or kurrentdb://)')
    .optional(),
  LESSONLOOP_DATA_DIR: z.string().min(1).default('./.lessonloop'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The address the HTTP server listens on; unset = every interface, IPv6 and IPv4 (IPv4 only where IPv6 is off). */
  LESSONLOOP_HOST: z.string().trim().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `json` or `pretty` (short lines); unset: pretty when the log stream is a terminal, JSON otherwise. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /** API tokens, hashed: `name:scope,scope:sha256hex` entries separated by `;` or whitespace (see src/auth/). */
  LESSONLOOP_API_TOKENS: z.string().optional(),
  /** A file with one `name:scopes:sha256hex` entry per line (`#` comments); read at start, added to the above. */
  LESSONLOOP_API_TOKENS_FILE: z.string().min(1).optional(),
  /** When true, GET endpoints need a bearer token with the `read` scope too. */
  LESSONLOOP_REQUIRE_READ_TOKEN: z.stringbool().default(false),
  /** Run the projection processors in this process: `auto` (unset) = with the HTTP server (serve), not in CLI commands. */
  LESSONLOOP_RUN_PROJECTIONS: z.enum(['auto', 'always', 'never']).optional(),
  /** The rule set (a RuleSetDefined id) the bandit and the lifecycle policy act under; unset = built-in defaults. */
  LESSONLOOP_POLICY_RULE_SET: z.string().trim().min(1).optional(),
  /** The folder holding copies of gptme log dirs; unset = no log is read (see docs/gptme-logs.md). */
  LESSONLOOP_LOG_ROOT: z.string().min(1).optional(),
  /** An OpenAI-compatible chat endpoint that writes lesson drafts' prose; unset (or no model) = the template drafter (docs/drafts.md). */
  LESSONLOOP_DRAFTER_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  LESSONLOOP_DRAFTER_MODEL: z.string().trim().min(1).max(200).optional(),
  LESSONLOOP_DRAFTER_API_KEY: z.string().min(1).optional(),
  LESSONLOOP_DRAFTER_TIMEOUT_MS: z.coerce.number().int().min(1).default(60_000),
  /** The folder POST /imports/* may read under (CLI imports sent to a server); unset = the server's working directory. */
  LESSONLOOP_IMPORT_ROOT: z.string().min(1).optional(),
  /** What a failed projection instance makes /health: `degraded` (200, status "degraded") or `unhealthy` (503). */
  LESSONLOOP_HEALTH_FAILED_PROJECTIONS: z.enum(['degraded', 'unhealthy']).default('degraded'),
  /** Server secret that webhook signing keys derive from (HMAC per subscription); unset = webhooks are off. */
  LESSONLOOP_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** A JSON file of webhook subscriptions, reconciled at start (see docs/webhooks.md). */
  LESSONLOOP_WEBHOOKS_FILE: z.string().min(1).optional(),
  /** Allow receivers on private, loopback and link-local addresses. */
  LESSONLOOP_WEBHOOKS_ALLOW_PRIVATE: z.stringbool().default(false),
  /** Backoff of failed deliveries: the first retry after this, doubling up to the max. */
  LESSONLOOP_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1000),
  LESSONLOOP_WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(1).default(600_000),
  /** Attempts before a delivery is `failed` (until redelivered). */
  LESSONLOOP_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(20),
  LESSONLOOP_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
});

export type AppConfig = z.infer<typeof appConfigSchema>;

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Reads the settings from an environment; blank values count as unset. */
export function loadAppConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = appConfigSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigValidationError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

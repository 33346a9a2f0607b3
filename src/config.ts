import crypto from 'node:crypto';
import Joi from 'joi';
import { LOCK_TIMEOUT_MS, SQLITE_MEMORY_DEFAULTS } from './db/db';

/** The validated, frozen configuration. This module is the only reader of process.env. */
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  databaseUrl: string;
  sessionSecret: string;
  authMode: 'dev' | 'entra';
  entra: { issuer: string; clientId: string; clientSecret: string; redirectUrl: string } | null;
  appTz: string;
  firstMilestonePct: number;
  migrationSumBasis: 'total' | 'in_progress';
  enforceScenarioOwnership: boolean;
  logLevel: string;
  /** Session lifetimes in seconds (SECURITY.md decision 2). */
  sessionIdleSeconds: number;
  sessionAbsoluteSeconds: number;
  /** Dev sign-in attempts allowed per 15 minutes per IP and per username. */
  loginRateLimit: number;
  trustProxy: string | false;
  /** PostgreSQL: connections each process may hold (docs/deploy.md sizes it against max_connections). */
  dbPoolMax: number;
  /** How long a statement waits for another writer's lock before the request is a 503 (SQLite and PostgreSQL). */
  dbLockTimeoutMs: number;
  /** SQLite: page cache (MiB) and memory map (MiB, 0 = off) of the server's connection. */
  sqliteCacheMb: number;
  sqliteMmapMb: number;
  /** V8's heap growth between full collections, in percent of the live heap; 0 = V8's own (decision 124). */
  heapGrowthPercent: number;
  /** How long a stopping server lets requests in flight finish before it closes them (SIGTERM/SIGINT). */
  shutdownTimeoutMs: number;
  externalLinks: { label: string; href: string }[];
}

/** HEAP_GROWTH_PERCENT when unset (decision 124); the bench's report names it. */
export const HEAP_GROWTH_DEFAULT_PERCENT = 50;

const schema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'production', 'test').default('development'),
  PORT: Joi.number().integer().min(0).max(65535).default(3000),
  DATABASE_URL: Joi.string()
    .pattern(/^(sqlite:.+|postgres(ql)?:\/\/.+)/)
    .default('sqlite:./data/ftop.sqlite3')
    .messages({ 'string.pattern.base': 'must look like sqlite:<path>, sqlite::memory: or postgres://…' }),
  SESSION_SECRET: Joi.string().min(32).when('NODE_ENV', {
    is: 'production',
    then: Joi.required(),
    otherwise: Joi.optional(),
  }),
  AUTH_MODE: Joi.string().valid('dev', 'entra').default('dev'),
  ENTRA_ISSUER: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .when('AUTH_MODE', { is: 'entra', then: Joi.required() }),
  ENTRA_CLIENT_ID: Joi.string().when('AUTH_MODE', { is: 'entra', then: Joi.required() }),
  ENTRA_CLIENT_SECRET: Joi.string().when('AUTH_MODE', { is: 'entra', then: Joi.required() }),
  ENTRA_REDIRECT_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .when('AUTH_MODE', { is: 'entra', then: Joi.required() }),
  APP_TZ: Joi.string()
    .default('UTC')
    .custom((value: string, helpers) => {
      try {
        new Intl.DateTimeFormat('en-CA', { timeZone: value });
        return value;
      } catch {
        return helpers.error('any.invalid');
      }
    }),
  FIRST_MILESTONE_PCT: Joi.number().integer().min(1).max(99).default(15),
  MIGRATION_SUM_BASIS: Joi.string().valid('total', 'in_progress').default('total'),
  ENFORCE_SCENARIO_OWNERSHIP: Joi.boolean().default(false),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  SESSION_IDLE_MINUTES: Joi.number().min(0.001).max(30).default(30),
  SESSION_ABSOLUTE_HOURS: Joi.number().min(0.0001).max(24).default(12),
  LOGIN_RATE_LIMIT: Joi.number().integer().min(1).default(20),
  TRUST_PROXY: Joi.string().default(''),
  DB_POOL_MAX: Joi.number().integer().min(1).max(1000).default(10),
  DB_LOCK_TIMEOUT_MS: Joi.number().integer().min(1).max(600_000).default(LOCK_TIMEOUT_MS),
  SQLITE_CACHE_MB: Joi.number().integer().min(1).max(4096).default(SQLITE_MEMORY_DEFAULTS.cacheMb),
  SQLITE_MMAP_MB: Joi.number().integer().min(0).max(65536).default(SQLITE_MEMORY_DEFAULTS.mmapMb),
  HEAP_GROWTH_PERCENT: Joi.number().integer().min(0).max(300).default(HEAP_GROWTH_DEFAULT_PERCENT),
  SHUTDOWN_TIMEOUT_MS: Joi.number().integer().min(0).max(600_000).default(10_000),
  EXTERNAL_LINKS: Joi.string().default(''),
}).unknown(true);

/** Reads and validates the environment; throws an Error naming the offending variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const { value, error } = schema.validate(env, { abortEarly: true, convert: true });
  if (error) {
    throw new Error(`Invalid configuration: ${error.details[0].message.replace(/"/g, '')}`);
  }
  if (value.NODE_ENV === 'production' && value.AUTH_MODE === 'dev') {
    throw new Error('Invalid configuration: AUTH_MODE=dev is refused when NODE_ENV=production');
  }
  const entra =
    value.AUTH_MODE === 'entra'
      ? {
          issuer: value.ENTRA_ISSUER,
          clientId: value.ENTRA_CLIENT_ID,
          clientSecret: value.ENTRA_CLIENT_SECRET,
          redirectUrl: value.ENTRA_REDIRECT_URL,
        }
      : null;
  return Object.freeze({
    env: value.NODE_ENV,
    port: value.PORT,
    databaseUrl: value.DATABASE_URL,
    sessionSecret: value.SESSION_SECRET ?? crypto.randomBytes(32).toString('base64url'),
    authMode: value.AUTH_MODE,
    entra,
    appTz: value.APP_TZ,
    firstMilestonePct: value.FIRST_MILESTONE_PCT,
    migrationSumBasis: value.MIGRATION_SUM_BASIS,
    enforceScenarioOwnership: value.ENFORCE_SCENARIO_OWNERSHIP,
    logLevel: value.LOG_LEVEL,
    sessionIdleSeconds: value.SESSION_IDLE_MINUTES * 60,
    sessionAbsoluteSeconds: value.SESSION_ABSOLUTE_HOURS * 3600,
    loginRateLimit: value.LOGIN_RATE_LIMIT,
    trustProxy: value.TRUST_PROXY === '' ? false : value.TRUST_PROXY,
    dbPoolMax: value.DB_POOL_MAX,
    dbLockTimeoutMs: value.DB_LOCK_TIMEOUT_MS,
    sqliteCacheMb: value.SQLITE_CACHE_MB,
    sqliteMmapMb: value.SQLITE_MMAP_MB,
    heapGrowthPercent: value.HEAP_GROWTH_PERCENT,
    shutdownTimeoutMs: value.SHUTDOWN_TIMEOUT_MS,
    externalLinks: parseLinks(value.EXTERNAL_LINKS),
  });
}

/**
 * The V8 options the server sets at start-up: with HEAP_GROWTH_PERCENT=50 (the default) the heap may grow to
 * 1.5 times what was live after the last full collection, where V8's own factor goes up to 4; full
 * collections come more often and the process stays smaller (decision 124). 0 leaves V8's own factor.
 */
export function v8Flags(config: Pick<Config, 'heapGrowthPercent'>): string[] {
  return config.heapGrowthPercent > 0 ? [`--heap-growing-percent=${config.heapGrowthPercent}`] : [];
}

/** EXTERNAL_LINKS="FTOP User Guide|https://…;FTC Help|https://…" → guidance-menu links. */
function parseLinks(raw: string): { label: string; href: string }[] {
  return raw
    .split(';')
    .map((part) => part.split('|'))
    .filter(([label, href]) => label && href && /^https?:\/\//.test(href))
    .map(([label, href]) => ({ label: label.trim(), href: href.trim() }));
}

/** Today's date (YYYY-MM-DD) in the configured zone: "today" for every date rule. */
export function today(config: Pick<Config, 'appTz'>, now: Date = new Date()): string {
  let format = DAY_FORMATS.get(config.appTz);
  if (!format) DAY_FORMATS.set(config.appTz, (format = new Intl.DateTimeFormat('en-CA', { timeZone: config.appTz })));
  return format.format(now);
}

/** One formatter per zone: building one costs about 0.3 ms, more than a tenant page's database reads. */
const DAY_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** Options and paths of npm run bench (see bench/README.md for the options). */
import path from 'node:path';
import { parseArgs } from 'node:util';

export const ROOT = path.resolve(__dirname, '..');
export const OUT = path.join(ROOT, 'bench', 'out');
export const CACHE_DB = path.join(OUT, 'bench.sqlite3');
export const MANIFEST = path.join(OUT, 'bench.manifest.json');
export const GENERATOR = path.join(ROOT, 'seeds', 'synthetic.ts');
export const CLI = path.join(ROOT, 'src', 'cli.ts');

export const { values: opts } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    tenants: { type: 'string', default: '100000' },
    orgs: { type: 'string', default: '200' },
    'notes-per-tenant': { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '300' },
    q: { type: 'string' },
    db: { type: 'string' },
    'wait-quiet': { type: 'string', default: '0' },
    'skip-profile': { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
  strict: true,
});

function positiveInt(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got ${raw})`);
  return n;
}

export const params = {
  tenants: positiveInt('tenants', opts.tenants),
  orgs: positiveInt('orgs', opts.orgs),
  notesPerTenant: Number(opts['notes-per-tenant']),
  seed: String(opts.seed),
};
if (!Number.isInteger(params.notesPerTenant) || params.notesPerTenant < 0)
  throw new Error('--notes-per-tenant must be an integer ≥ 0');
export const DURATION = positiveInt('duration', opts.duration);
export const CONNECTIONS = positiveInt('connections', opts.connections);
export const WARMUP = positiveInt('warmup', opts.warmup);
export const WAIT_QUIET = Number(opts['wait-quiet']);
if (!Number.isFinite(WAIT_QUIET) || WAIT_QUIET < 0) throw new Error('--wait-quiet must be a number of seconds ≥ 0');

/** The baseline: a static 25-row table page served by bench/server.ts through the same middleware. */
export const BASELINE_PATH = '/bench/baseline';
export const LIST_PATH = '/tenants?tab=partner&sort=name';

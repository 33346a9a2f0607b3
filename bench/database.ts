/** 1. The synthetic database (cached with a manifest). */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { children, removeDbFiles, tempFiles, waitForExit } from './children';
import { CACHE_DB, CLI, GENERATOR, MANIFEST, opts, OUT, params, ROOT } from './options';

export interface Manifest {
  params: typeof params;
  /** sha256 of seeds/synthetic.ts: a changed generator invalidates the cache. */
  generatorSha256: string;
  builtAt: string;
  /** Wall time of the seed command as a child process (tsx start-up included). */
  seedSeconds: number;
  seedCommand: string;
  /** The CLI's own summary line ("seed: … in N s"). */
  seedSummary: string;
  rows: Record<string, number>;
}

function generatorHash(): string {
  return crypto.createHash('sha256').update(fs.readFileSync(GENERATOR)).digest('hex');
}

function readManifest(): Manifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

export async function ensureDatabase(): Promise<{ manifest: Manifest; reused: boolean; file: string }> {
  if (opts.db) {
    const file = path.resolve(opts.db);
    if (!fs.existsSync(file)) throw new Error(`--db ${opts.db}: no such file`);
    const raw = new Database(file, { readonly: true, fileMustExist: true });
    const rows = countRows(raw);
    raw.close();
    const manifest: Manifest = {
      params,
      generatorSha256: '',
      builtAt: fs.statSync(file).mtime.toISOString(),
      seedSeconds: NaN,
      seedCommand: `(--db ${opts.db})`,
      seedSummary: '',
      rows,
    };
    return { manifest, reused: true, file };
  }
  if (!fs.existsSync(GENERATOR)) {
    throw new Error(
      'seeds/synthetic.ts is missing: the synthetic generator (seedSynthetic) is needed to build the bench database',
    );
  }
  const hash = generatorHash();
  const cached = readManifest();
  if (
    !opts.fresh &&
    cached &&
    fs.existsSync(CACHE_DB) &&
    JSON.stringify(cached.params) === JSON.stringify(params) &&
    cached.generatorSha256 === hash
  ) {
    return { manifest: cached, reused: true, file: CACHE_DB };
  }
  if (!opts.fresh && cached && fs.existsSync(CACHE_DB))
    console.log('cached database was built with other parameters or another generator: rebuilding');

  fs.mkdirSync(OUT, { recursive: true });
  const building = path.join(OUT, 'bench.building.sqlite3');
  removeDbFiles(building);
  tempFiles.add(building);

  const env = { ...process.env, DATABASE_URL: `sqlite:${building}`, LOG_LEVEL: 'warn' };
  const args = [
    'seed',
    '--tenants',
    String(params.tenants),
    '--orgs',
    String(params.orgs),
    '--notes-per-tenant',
    String(params.notesPerTenant),
    '--seed',
    params.seed,
  ];
  const seedCommand = `npm run cli -- ${args.join(' ')}`;
  // What an admin runs: `migrate` (the seed command refuses a database with pending migrations), then `seed`.
  console.log(
    `building the synthetic database in ${path.relative(ROOT, building)}: npm run cli -- migrate && ${seedCommand}`,
  );
  await runCli(['migrate'], env);
  const started = process.hrtime.bigint();
  const seedOutput = await runCli(args, env);
  const seedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const seedSummary = /seed: .* in [\d.]+ s/.exec(seedOutput)?.[0] ?? '';

  // Fold the WAL into the main file so the copy and the size are complete, then count what was built.
  const raw = new Database(building);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  const rows = countRows(raw);
  raw.close();

  removeDbFiles(CACHE_DB);
  fs.renameSync(building, CACHE_DB);
  removeDbFiles(building);
  tempFiles.delete(building);
  const manifest: Manifest = {
    params,
    generatorSha256: hash,
    builtAt: new Date().toISOString(),
    seedSeconds,
    seedCommand,
    seedSummary,
    rows,
  };
  fs.writeFileSync(MANIFEST, JSON.stringify(manifest, null, 2) + '\n');
  return { manifest, reused: false, file: CACHE_DB };
}

/**
 * `npm run cli -- …` as a child process: `node --require tsx/cjs src/cli.ts …`, which is what the npm script's
 * tsx runs, minus tsx's wrapper process (one process to wait for and to kill). Output passed through and returned.
 */
async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  if (!fs.existsSync(CLI)) throw new Error('src/cli.ts is missing: the admin CLI builds the bench database');
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', CLI, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(chunk);
  });
  const code = await waitForExit(child);
  children.delete(child);
  if (code !== 0) throw new Error(`\`npm run cli -- ${args.join(' ')}\` exited with ${code}`);
  return output;
}

function countRows(raw: Database.Database): Record<string, number> {
  const rows: Record<string, number> = {};
  for (const table of ['partner_orgs', 'users', 'tenants', 'tenant_services', 'assignments', 'notes']) {
    rows[table] = (raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  }
  return rows;
}

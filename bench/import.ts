/**
 * npm run bench:import — how long `ftop import FILE.json` takes on a large file, and how much memory it needs.
 *
 * 1. Generates the import file once (bench/import-file.ts) into bench/out/import-t<N>-o<M>-n<K>-s<S>.json and
 *    reuses it while the options and the generator's sha256 match its manifest (--fresh regenerates it).
 * 2. Creates a fresh database bench/out/import-bench.sqlite3 with the real CLI (`migrate`).
 * 3. Runs the real CLI `import FILE` in its own process and measures its wall time and peak RSS.
 *
 * The CLI runs as `node --import tsx src/cli.ts …`: what node_modules/.bin/tsx runs, without tsx's wrapper process,
 * so the pid sampled is the importer itself. Peak RSS is VmHWM from /proc/<pid>/status, read by the child on exit
 * (a preloaded hook writes it to fd 3) and polled every 100 ms as a fallback.
 *
 * Options: --tenants N (100000), --orgs M (10), --notes-per-tenant K (10), --seed S (1), --fresh. See bench/README.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeImportFile, type ImportFileOptions, type ImportFileResult } from './import-file';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'out');
const CLI = path.join(ROOT, 'src', 'cli.ts');
const GENERATOR = path.join(__dirname, 'import-file.ts');
const DB = path.join(OUT, 'import-bench.sqlite3');
/**
 * Preloaded into the measured child (`--require`, a CommonJS file written next to the results: an
 * ES module preload would make node load the TypeScript entry as an ES module): writes its own VmHWM
 * (kB) to fd 3 as it exits.
 */
const HWM_HOOK = path.join(OUT, 'hwm-hook.cjs');
const HWM_HOOK_SOURCE =
  'const fs = require("node:fs"); process.on("exit", () => { try { fs.writeSync(3, ' +
  'fs.readFileSync("/proc/self/status", "utf8").match(/VmHWM:\\s*(\\d+)/)[1] + "\\n"); } catch {} });\n';

const { values: args } = parseArgs({
  options: {
    tenants: { type: 'string', default: '100000' },
    orgs: { type: 'string', default: '10' },
    'notes-per-tenant': { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    fresh: { type: 'boolean', default: false },
  },
});
const whole = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${value}`);
  return n;
};
const options: ImportFileOptions = {
  tenants: whole('tenants', args.tenants),
  orgs: whole('orgs', args.orgs),
  notesPerTenant: whole('notes-per-tenant', args['notes-per-tenant']),
  seed: whole('seed', args.seed),
};

interface Manifest {
  options: ImportFileOptions;
  generator: string;
  result: ImportFileResult;
  seconds: number;
}

/** The import file for `options`: reused when its manifest matches, generated otherwise. */
async function importFile(): Promise<{ file: string; manifest: Manifest; reused: boolean }> {
  const { tenants, orgs, notesPerTenant, seed } = options;
  const base = path.join(OUT, `import-t${tenants}-o${orgs}-n${notesPerTenant}-s${seed}`);
  const file = `${base}.json`;
  const manifestFile = `${base}.manifest.json`;
  const generator = crypto.createHash('sha256').update(fs.readFileSync(GENERATOR)).digest('hex');
  if (!args.fresh && fs.existsSync(file) && fs.existsSync(manifestFile)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
    const same = JSON.stringify(manifest.options) === JSON.stringify(options) && manifest.generator === generator;
    if (same && fs.statSync(file).size === manifest.result.bytes) return { file, manifest, reused: true };
  }
  console.log(`generating ${path.relative(ROOT, file)} …`);
  const started = process.hrtime.bigint();
  const partial = `${file}.partial`; // an interrupted run never leaves a file that looks complete
  const result = await writeImportFile(partial, options);
  fs.renameSync(partial, file);
  const manifest: Manifest = { options, generator, result, seconds: secondsSince(started) };
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return { file, manifest, reused: false };
}

const secondsSince = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Peak RSS in kB (VmHWM), 0 when it could not be read. */
  peakKb: number;
}

let running: ChildProcess | undefined;

/** `sqlite:<bench db>` with the real CLI in a child process; with `measure`, its VmHWM too. */
function runCli(cliArgs: string[], measure = false): Promise<CliRun> {
  if (measure) fs.writeFileSync(HWM_HOOK, HWM_HOOK_SOURCE);
  const nodeArgs = ['--require', 'tsx/cjs', ...(measure ? ['--require', HWM_HOOK] : []), CLI, ...cliArgs];
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `sqlite:${DB}`, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  running = child;
  let stdout = '';
  let stderr = '';
  let hook = '';
  let polled = 0;
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdio[3]!.on('data', (d) => (hook += d));
  const poll = () => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      polled = Math.max(polled, Number(/VmHWM:\s*(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      // the process has just exited
    }
  };
  const timer = measure ? setInterval(poll, 100) : undefined;
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      running = undefined;
      const seconds = secondsSince(started);
      resolve({ code, stdout, stderr, seconds, peakKb: Math.max(polled, Number(hook.trim()) || 0) });
    });
  });
}

function removeDb(): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${DB}${suffix}`, { force: true });
}

function fail(step: string, run: CliRun): never {
  console.error(`${step} failed (exit ${run.code}):`);
  const lines = run.stderr.trim().split('\n');
  console.error(lines.slice(0, 30).join('\n') + (lines.length > 30 ? `\n… ${lines.length - 30} more lines` : ''));
  process.exit(1);
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const { file, manifest, reused } = await importFile();
  removeDb();
  const migrate = await runCli(['migrate']);
  if (migrate.code !== 0) fail('migrate', migrate);
  console.log(`importing ${path.relative(ROOT, file)} into ${path.relative(ROOT, DB)} …`);
  const run = await runCli(['import', file], true);
  if (run.code !== 0) fail('import', run);

  const { result } = manifest;
  const figures = {
    tenants: result.tenants,
    notes: result.notes,
    fileMb: result.bytes / 1e6,
    generationSeconds: manifest.seconds,
    importSeconds: run.seconds,
    tenantsPerSecond: result.tenants / run.seconds,
    peakRssMb: run.peakKb / 1024,
    cli: run.stdout.trim().split('\n').pop() ?? '',
  };
  const n = (v: number, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits });
  const rows: [string, string][] = [
    ['tenants', n(figures.tenants)],
    ['notes', n(figures.notes)],
    ['file size', `${n(figures.fileMb, 1)} MB`],
    ['generation', `${n(figures.generationSeconds, 1)} s${reused ? ' (file reused)' : ''}`],
    ['import (wall)', `${n(figures.importSeconds, 1)} s`],
    ['tenants/s', n(figures.tenantsPerSecond)],
    ['peak RSS', `${n(figures.peakRssMb)} MB`],
    ['CLI', figures.cli],
  ];
  console.log('');
  for (const [label, value] of rows) console.log(`  ${label.padEnd(14)} ${value}`);
  fs.writeFileSync(path.join(OUT, 'import-last-run.json'), `${JSON.stringify({ options, ...figures }, null, 2)}\n`);
}

process.on('SIGINT', () => {
  running?.kill('SIGTERM');
  process.exit(130);
});

main().catch((err: Error) => {
  running?.kill('SIGTERM');
  console.error(`error: ${err.message}`);
  process.exit(1);
});

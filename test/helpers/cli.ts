import { spawn } from 'node:child_process';
import path from 'node:path';
import { main } from '../../src/cli';

const ROOT = path.resolve(__dirname, '../..');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI's `main` in this process against `url`, with its output captured: the same program and
 * exit codes as `npm run cli -- …` without starting Node and tsx for every case (about 3 s each).
 */
export async function cli(url: string, ...args: string[]): Promise<Run> {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: process.env.LOG_LEVEL };
  Object.assign(process.env, { DATABASE_URL: url, LOG_LEVEL: 'info' });
  let stdout = '';
  let stderr = '';
  try {
    const code = await main(['node', 'src/cli.ts', ...args], {
      out: (line) => (stdout += `${line}\n`),
      err: (line) => (stderr += `${line}\n`),
    });
    return { code, stdout, stderr };
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

/** Runs the CLI as the child process an admin starts (`npm run cli -- …`: node with tsx's require hook), with `stdin` as its input. */
export function spawned(url: string, args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'info' },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    child.stdin?.end(stdin);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Child processes and clean-up (server and seed CLI are killed on exit, error, SIGINT and SIGTERM). */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export const children = new Set<ChildProcess>();
export const tempFiles = new Set<string>();

/**
 * Children run in their own process group (detached) and are signalled as a group, so nothing they
 * start outlives the bench; the bench forwards SIGINT/SIGTERM itself.
 */
function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

export function cleanupSync(): void {
  for (const child of children) signalChild(child, 'SIGKILL');
  children.clear();
  for (const file of tempFiles) removeDbFiles(file);
  tempFiles.clear();
}

process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the server and removing temporary files`);
    cleanupSync();
    process.exit(130);
  });
}

export function removeDbFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}

export function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** SIGTERM (the server drains and closes the database), SIGKILL after 10 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    signalChild(child, 'SIGTERM');
    const timer = setTimeout(() => signalChild(child, 'SIGKILL'), 10_000);
    await waitForExit(child);
    clearTimeout(timer);
  }
  children.delete(child);
}

import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { AdminInputError } from './admin.errors';
import { backupTo, verifyCopy } from './backup.repo';

export interface BackupResult {
  file: string;
  bytes: number;
  integrity: string;
  counts: Record<string, number>;
}

/**
 * Writes an online, consistent copy of the database to `target` and verifies it.
 * Invariants: an existing file is never overwritten; the copy is written under a temporary name and
 * only appears at `target` once `PRAGMA integrity_check` says ok (a failed copy is removed).
 * @throws AdminInputError when the target exists, its folder is missing, or verification fails.
 */
export async function backupDatabase(db: Knex, target: string, sourceFile: string): Promise<BackupResult> {
  const file = path.resolve(target);
  if (fs.existsSync(file)) throw new AdminInputError(`${target} already exists; backups never overwrite a file`);
  const dir = path.dirname(file);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new AdminInputError(`folder ${dir} does not exist`);
  if (sourceFile !== ':memory:' && path.resolve(sourceFile) === file)
    throw new AdminInputError('the backup cannot be the database itself');
  const partial = path.join(dir, `.${path.basename(file)}.${process.pid}.partial`);
  try {
    await backupTo(db, partial);
    const { integrity, counts } = verifyCopy(partial);
    if (integrity !== 'ok') throw new AdminInputError(`integrity_check of the copy failed: ${integrity}`);
    // link() refuses an existing target, so a file created meanwhile is not overwritten either.
    try {
      fs.linkSync(partial, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST')
        throw new AdminInputError(`${target} already exists; backups never overwrite a file`);
      throw err;
    }
    return { file, bytes: fs.statSync(file).size, integrity, counts };
  } finally {
    for (const leftover of [partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`])
      fs.rmSync(leftover, { force: true });
  }
}

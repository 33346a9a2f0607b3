import type { Db } from '../../db/db';
import type { CorrectionRow } from './corrections';

/** Every committed status row with its note, chosen and suggested labels and exclusion. */
export async function correctionRows(db: Db): Promise<CorrectionRow[]> {
  const all: CorrectionRow[] = [];
  await eachCorrectionPage(db, (rows) => all.push(...rows));
  return all;
}

/**
 * The committed status rows in pages of `pageSize`, in id order, so that a caller that keeps only some
 * of them (the model's training at start-up) never holds them all: a database with 250,000 status rows
 * held them as one array of objects, 400 MB of memory the process kept afterwards.
 */
export async function eachCorrectionPage(
  db: Db,
  take: (rows: CorrectionRow[]) => void,
  pageSize = 5000,
): Promise<void> {
  for (let after = 0; ;) {
    const rows: (Omit<CorrectionRow, 'overridden' | 'excluded'> & { overridden: number; excluded: number })[] =
      await db('entitlement_status_rows as r')
        .leftJoin('suggest_exclusions as x', 'x.status_row_id', 'r.id')
        .where('r.id', '>', after)
        .select(
          'r.id',
          'r.status_note as note',
          'r.l1',
          'r.l2',
          'r.suggested_l1',
          'r.suggested_l2',
          'r.overridden',
          'r.created_by',
          'r.updated_at',
          db.raw('x.status_row_id IS NOT NULL as excluded'),
        )
        .orderBy('r.id')
        .limit(pageSize);
    if (!rows.length) return;
    take(
      rows.map((r) => ({ ...r, id: Number(r.id), overridden: Boolean(r.overridden), excluded: Boolean(r.excluded) })),
    );
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1].id);
  }
}

/** Excludes (or includes again) one row from the training; false when the row does not exist. */
export async function setExcluded(db: Db, id: number, excluded: boolean, now: string): Promise<boolean> {
  const row = await db('entitlement_status_rows').where({ id }).first('id');
  if (!row) return false;
  if (excluded) await db('suggest_exclusions').insert({ status_row_id: id, created_at: now }).onConflict().ignore();
  else await db('suggest_exclusions').where({ status_row_id: id }).delete();
  return true;
}

/** The generation of the shared model (raised by `suggest:retrain` and by exclusions). */
export async function modelGeneration(db: Db): Promise<number> {
  const row = (await db('suggest_model').where({ id: 1 }).first('generation')) as { generation: number } | undefined;
  return Number(row?.generation ?? 0);
}

/** Asks every server on the database to rebuild its model before its next suggestion. */
export async function raiseGeneration(db: Db, now: string): Promise<number> {
  await db('suggest_model')
    .where({ id: 1 })
    .update({ generation: db.raw('generation + 1'), requested_at: now });
  return modelGeneration(db);
}

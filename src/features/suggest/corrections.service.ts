import type { Db } from '../../db/db';
import { TrainableRows, trainingFromRows } from './corrections';
import { eachCorrectionPage, modelGeneration } from './corrections.repo';
import { rebuildModel } from './suggest.model';

/** Rebuilds the Suggest model from the shipped examples plus the committed rows (start-up, suggest:retrain). */
export async function retrainFromDb(db: Db): Promise<{ examples: number; corrections: number; ms: number }> {
  const rows = new TrainableRows();
  await eachCorrectionPage(db, (page) => rows.add(page));
  return rebuildModel(trainingFromRows(rows.kept()));
}

/** The generation this process's model was built for, and a rebuild in progress. */
let built: number | null = null;
let building: Promise<void> | null = null;

/**
 * Before a suggestion: rebuilds this process's model when `suggest:retrain` (or an exclusion) has raised
 * the shared generation since it was built, so every server on the database follows the CLI (one indexed
 * read per suggestion; the rebuild, about 50 ms, once per generation). Start-up builds the current one.
 */
export async function ensureCurrentModel(db: Db): Promise<void> {
  const generation = await modelGeneration(db);
  if (generation === built) return;
  building ??= retrainFromDb(db)
    .then(() => {
      built = generation;
    })
    .finally(() => {
      building = null;
    });
  await building;
}

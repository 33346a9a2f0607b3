import type { Db } from '../../db/db';
import { trainingFromRows } from './corrections';
import { correctionRows } from './corrections.repo';
import { rebuildModel } from './suggest.model';

/** Rebuilds the Suggest model from the shipped examples plus the committed rows (start-up, suggest:retrain). */
export async function retrainFromDb(db: Db): Promise<{ examples: number; corrections: number; ms: number }> {
  return rebuildModel(trainingFromRows(await correctionRows(db)));
}

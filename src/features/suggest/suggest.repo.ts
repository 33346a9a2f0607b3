import type { Db } from '../../db/db';
import { readRows } from '../../db/sql';

/** Every L3 (engineering reason) keyed by `l1|l2`, from the taxonomy_l3 table (V-23). Small table. */
export async function l3ByL2(db: Db): Promise<Map<string, string[]>> {
  // A prepared statement: every service tab reads the taxonomy (docs/decisions.md 130).
  const rows = await readRows<{ l1: string; l2: string; l3: string }>(
    db,
    'SELECT t2.l1, t2.l2, t3.l3 FROM taxonomy_l3 t3 JOIN taxonomy_l2 t2 ON t2.id = t3.l2_id ORDER BY t2.sort, t3.sort',
  );
  const map = new Map<string, string[]>();
  for (const r of rows) {
    const key = `${r.l1}|${r.l2}`;
    if (!map.has(key)) map.set(key, []);
    map.get(key)!.push(r.l3);
  }
  return map;
}

import type { Db } from '../../db/db';

/** Every L3 (engineering reason) keyed by `l1|l2`, from the taxonomy_l3 table (V-23). Small table. */
export async function l3ByL2(db: Db): Promise<Map<string, string[]>> {
  const rows: { l1: string; l2: string; l3: string }[] = await db('taxonomy_l3 as t3')
    .join('taxonomy_l2 as t2', 't2.id', 't3.l2_id')
    .select('t2.l1', 't2.l2', 't3.l3')
    .orderBy(['t2.sort', 't3.sort']);
  const map = new Map<string, string[]>();
  for (const r of rows) {
    const key = `${r.l1}|${r.l2}`;
    if (!map.has(key)) map.set(key, []);
    map.get(key)!.push(r.l3);
  }
  return map;
}

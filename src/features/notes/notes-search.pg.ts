import type { Db } from '../../db/db';
import { whereTenantVisible } from '../../auth/scope';
import { MARK_END, MARK_START } from './notes-search.types';
import { queryWords, type SearchBackend } from './notes-search.repo';

/**
 * A tsquery from what the user typed: every word a prefix term (`word:*`), all required. Only letters
 * and digits reach it, so no tsquery syntax from the user is interpreted; the English configuration
 * stems each word as the index did ('migrating' and 'migrat' both reach 'migration').
 */
export function tsQuery(q: string): string | null {
  const words = queryWords(q);
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

/**
 * PostgreSQL behind the notes search index: the stored `search_vector` (body A, next action B, tenant
 * and service names C; migrations/postgres.ts) with its GIN index, ranked by ts_rank, highlighted by
 * ts_headline.
 */
export function pgBackend(db: Db): SearchBackend {
  return {
    async matching(scope, q, ranked) {
      const query = tsQuery(q);
      const qb = db('notes as n').select('n.id');
      if (query) {
        qb.whereRaw("n.search_vector @@ to_tsquery('english', ?)", [query]);
        if (ranked) qb.select(db.raw("-ts_rank(n.search_vector, to_tsquery('english', ?)) AS rank", [query]));
      }
      whereTenantVisible(qb, scope, 'n.tenant_id');
      const rows = (await qb) as { id: number; rank?: number }[];
      return { ids: rows.map((r) => Number(r.id)), ranks: query && ranked ? rows.map((r) => Number(r.rank)) : null };
    },
    async snippets(ids, q) {
      const query = tsQuery(q);
      if (!query || !ids.length) return new Map();
      const options = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=40, MinWords=15, ShortWord=2, FragmentDelimiter=…, MaxFragments=2`;
      // The parser reads `<…>` and `&…;` in a note as markup and would drop them: they travel as control
      // characters (never typed in a note) and come back afterwards, so the snippet shows the text as written.
      const text = "translate(body_text, '<>&', chr(4) || chr(5) || chr(6))";
      const rows = (await db('notes')
        .whereIn('id', ids)
        .select(
          'id',
          db.raw(`ts_headline('english', ${text}, to_tsquery('english', ?), ?) AS snippet`, [query, options]),
        )) as { id: number; snippet: string }[];
      const restored = (s: string) => s.replaceAll('\u0004', '<').replaceAll('\u0005', '>').replaceAll('\u0006', '&');
      return new Map(rows.map((r) => [Number(r.id), restored(r.snippet)]));
    },
  };
}

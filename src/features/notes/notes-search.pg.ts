import type { Knex } from 'knex';
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
    /**
     * A user's scope is read first: the notes of their tenants through notes(tenant_id), each checked
     * against the query. Its cost follows the notes in scope (50,000 for the largest bench org: about
     * 45 ms), whatever the words. Through the GIN index it followed the matches in every org instead
     * (374,000 heap rows for 'customer', 350–500 ms), and words that appear together (a phrase from the
     * same note) made the planner expect a few rows and take that path. `OFFSET 0` keeps the scope
     * query planned on its own. The admin's scope is everything: the GIN index drives.
     */
    async matching(scope, q, ranked) {
      const query = tsQuery(q)!;
      const notes: Knex.QueryBuilder =
        scope.kind === 'admin'
          ? db('notes as s')
          : db.from(
              db.raw('(? OFFSET 0) AS s', [
                whereTenantVisible(db('notes').select('id', 'search_vector'), scope, 'notes.tenant_id'),
              ]),
            );
      const qb = notes.select('s.id').whereRaw("s.search_vector @@ to_tsquery('english', ?)", [query]);
      if (ranked) qb.select(db.raw("-ts_rank(s.search_vector, to_tsquery('english', ?)) AS rank", [query]));
      const rows = (await qb) as { id: number; rank?: number }[];
      return { ids: rows.map((r) => Number(r.id)), ranks: ranked ? rows.map((r) => Number(r.rank)) : null };
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

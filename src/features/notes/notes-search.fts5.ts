import type { Db } from '../../db/db';
import { whereTenantVisible } from '../../auth/scope';
import { MARK_END, MARK_START } from './notes-search.types';
import { CANDIDATE_COLUMNS, queryWords, toCandidate, type SearchBackend } from './notes-search.repo';

/**
 * An FTS5 MATCH expression from what the user typed: every word a quoted prefix term (so no FTS5
 * syntax from the user is ever interpreted), all words required. The index stems words (Porter), and
 * FTS5 stems the query term the same way, so 'migrating' and 'migrat' both reach 'migration'.
 */
export function matchExpression(q: string): string | null {
  const words = queryWords(q);
  return words.length ? words.map((w) => `"${w}"*`).join(' ') : null;
}

/** Relevance: body counts most, then next action; tenant and service names help but do not dominate. */
const RANK = 'bm25(notes_fts, 4.0, 2.0, 1.0, 1.0)';

/** SQLite FTS5 (notes_fts, migrations/sqlite.ts) behind the notes search index. */
export function fts5Backend(db: Db): SearchBackend {
  return {
    /**
     * With words, the FTS5 match drives and each match is checked against the scope's note ids (a set
     * built once from the tenant index), so only matching notes in scope are read; without words, the
     * scope's notes.
     */
    async candidates(scope, q) {
      const match = matchExpression(q);
      const services = db.raw(
        '(SELECT group_concat(service_code) FROM note_services WHERE note_id = n.id) AS services',
      );
      const qb = db('notes as n').select(...CANDIDATE_COLUMNS, services);
      if (match) {
        const matching = db('notes_fts as f')
          .select('f.rowid as id', db.raw(`${RANK} AS rank`))
          .whereRaw('notes_fts MATCH ?', [match]);
        // `+` keeps the scope a filter on the match (as an index on rowid, FTS5 would re-run the match per id).
        if (scope.kind !== 'admin')
          matching.whereRaw('+f.rowid IN ?', [whereTenantVisible(db('notes').select('id'), scope, 'notes.tenant_id')]);
        qb.select('m.rank').join(matching.as('m'), 'm.id', 'n.id');
      } else {
        qb.select(db.raw('0 AS rank'));
        whereTenantVisible(qb, scope, 'n.tenant_id');
      }
      return ((await qb) as Record<string, unknown>[]).map(toCandidate);
    },
    async snippets(ids, q) {
      const match = matchExpression(q);
      if (!match || !ids.length) return new Map();
      // The match scanned once more for the page's ids only (`+`: see candidates()).
      const rows = (await db('notes_fts')
        .whereRaw('notes_fts MATCH ?', [match])
        .whereRaw(`+rowid IN (${ids.map(() => '?').join(', ')})`, ids)
        .select('rowid as id', db.raw(`snippet(notes_fts, 0, ?, ?, '…', 40) AS snippet`, [MARK_START, MARK_END]))) as {
        id: number;
        snippet: string;
      }[];
      return new Map(rows.map((r) => [Number(r.id), r.snippet]));
    },
  };
}

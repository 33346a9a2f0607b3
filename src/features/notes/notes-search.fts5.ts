import type { Db } from '../../db/db';
import type { AccessScope } from '../../auth/scope';
import { MARK_END, MARK_START } from './notes-search.types';
import { queryWords, type SearchBackend } from './notes-search.repo';
import { marks } from '../../db/sql';

/**
 * An FTS5 MATCH expression from what the user typed: every word a quoted prefix term (so no FTS5
 * syntax from the user is ever interpreted), all words required. The index stems words (Porter), and
 * FTS5 stems the query term the same way, so 'migrating' and 'migrat' both reach 'migration'.
 */
export function matchExpression(q: string): string | null {
  const words = queryWords(q);
  return words.length ? words.map((w) => `"${w}"*`).join(' ') : null;
}

/** Relevance: body counts most, then next action; tenant and service names help but do not dominate; scope words not at all. */
const RANK = 'bm25(notes_fts, 4.0, 2.0, 1.0, 1.0, 0.0)';

/**
 * The scope words a user's notes are indexed by (migrations/sqlite-search-scope.ts: `o<org>` for an org's
 * P-RM, `u<user>` for a user's partner-type assignment), as an FTS5 column filter; '' when the scope sees
 * nothing, null for an admin (everything). The same grants as whereTenantVisible (src/auth/scope.ts).
 */
export function scopeFilter(scope: AccessScope): string | null {
  if (scope.kind === 'admin') return null;
  const words =
    scope.kind === 'internal'
      ? scope.managedOrgIds.map((id) => `o${id}`)
      : scope.kind === 'partner' && scope.orgId !== null
        ? [`o${scope.orgId}`, `u${scope.userId}`]
        : [];
  return words.length ? `scope:(${words.join(' OR ')})` : '';
}

/** SQLite FTS5 (notes_fts, migrations/sqlite.ts and sqlite-search-scope.ts) behind the notes search index. */
export function fts5Backend(db: Db): SearchBackend {
  return {
    /** One FTS5 match for the words and the scope's words; bm25 only when sorting by relevance. */
    async matching(scope, q, ranked) {
      const match = matchExpression(q)!;
      const filter = scopeFilter(scope);
      if (filter === '') return { ids: [], ranks: ranked ? [] : null };
      const qb = db('notes_fts as f')
        .select('f.rowid as id')
        .whereRaw('notes_fts MATCH ?', [filter ? `(${match}) AND ${filter}` : match]);
      if (ranked) qb.select(db.raw(`${RANK} AS rank`));
      const rows = (await qb) as { id: number; rank?: number }[];
      return { ids: rows.map((r) => Number(r.id)), ranks: ranked ? rows.map((r) => Number(r.rank)) : null };
    },
    /**
     * The page's snippets: first with each word as its exact stem, which FTS5 can look up for these ids
     * alone; the notes that matched only as a prefix ('custo' for 'customer') then by the words as
     * prefixes, a scan of the match filtered to the ids that are left.
     */
    async snippets(ids, q) {
      const words = queryWords(q);
      if (!words.length || !ids.length) return new Map();
      const exact = await snippetRows(db, words.map((w) => `"${w}"`).join(' '), ids, '');
      const left = ids.filter((id) => !exact.has(id));
      if (!left.length) return exact;
      return new Map([...exact, ...(await snippetRows(db, matchExpression(q)!, left, '+'))]);
    },
  };
}

/** Snippets of the notes `ids` matching `match`; `filter` '+' scans the match, '' looks the ids up. */
async function snippetRows(db: Db, match: string, ids: number[], filter: '' | '+'): Promise<Map<number, string>> {
  const rows = (await db('notes_fts')
    .whereRaw('notes_fts MATCH ?', [match])
    .whereRaw(`${filter}rowid IN (${marks(ids)})`, ids)
    .select('rowid as id', db.raw(`snippet(notes_fts, 0, ?, ?, '…', 40) AS snippet`, [MARK_START, MARK_END]))) as {
    id: number;
    snippet: string;
  }[];
  return new Map(rows.map((r) => [Number(r.id), r.snippet]));
}

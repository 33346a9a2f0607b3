import Joi from 'joi';
import type { AccessScope } from '../../auth/scope';
import type { Db } from '../../db/db';
import { listLatestNotes, serviceCatalogue } from './notes.repo';
import { historySchema, parseNotesFilter, RANGES, shownNote, windowOf, type ShownNote } from './notes.service';

/** GET /notes query (CONTRACT.md): the history's filters plus the three toggles. */
export interface LatestQuery {
  range: (typeof RANGES)[number];
  category: string[];
  service: string[];
  escalated: boolean;
  my_active: boolean;
  system: boolean;
}

const toggle = Joi.boolean().truthy('1', 'on').falsy('0', '').default(false);
const schema = (historySchema as Joi.ObjectSchema<LatestQuery>).keys({
  escalated: toggle,
  my_active: toggle,
  system: toggle,
});

export function parseLatestQuery(raw: Record<string, unknown>): LatestQuery {
  return parseNotesFilter(schema, raw);
}

/** The most notes Latest Notes shows; older ones are reached with a range, the filters or search. */
export const LATEST_LIMIT = 100;

/**
 * Latest Notes (DOMAIN.md §5.12.3): notes on the user's tenants, newest first, filtered by date window,
 * category and service; Escalated, My Active and Show System Messages (off by default) toggles.
 */
export async function latestNotes(
  db: Db,
  scope: AccessScope,
  query: LatestQuery,
  now: Date = new Date(),
): Promise<{ notes: ShownNote[]; services: { code: string; name: string }[]; truncated: boolean }> {
  const window = query.range === 'all' ? {} : windowOf(Number(query.range), now);
  const notes = await listLatestNotes(
    db,
    scope,
    query.my_active,
    {
      ...window,
      categories: query.category,
      services: query.service,
      escalatedOnly: query.escalated,
      withoutSystem: !query.system,
    },
    LATEST_LIMIT + 1,
  );
  return {
    notes: notes.slice(0, LATEST_LIMIT).map((n) => shownNote(n, now)),
    services: await serviceCatalogue(db),
    truncated: notes.length > LATEST_LIMIT,
  };
}

/** /notes with the query's non-default values. */
export function latestHref(query: LatestQuery): string {
  const p = new URLSearchParams();
  if (query.range !== '30') p.set('range', query.range);
  for (const c of query.category) p.append('category', c);
  for (const s of query.service) p.append('service', s);
  for (const k of ['escalated', 'my_active', 'system'] as const) if (query[k]) p.set(k, '1');
  const s = p.toString();
  return s ? `/notes?${s}` : '/notes';
}

import Joi from 'joi';
import type { Db } from '../../db/db';
import { sanitizeNoteHtml } from '../../domain/rich-text';
import { NOTE_CATEGORIES } from '../../domain/enums';
import { showBidi } from '../../domain/values';
import { BadRequest } from '../../http/errors';
import { asciiHtml } from '../../http/one-byte';
import type { TenantContext } from '../tenants/tenants.service';
import { listTenantNotes, tenantServiceOptions, type NoteView } from './notes.repo';

export const RANGES = ['30', '60', '90', 'all'] as const;
/** The history filter's categories: the four editor categories plus Enterprise Status (DOMAIN.md §5.7.1). */
export const FILTER_CATEGORIES = NOTE_CATEGORIES.slice(0, 5);

export interface HistoryQuery {
  range: (typeof RANGES)[number];
  category: string[];
  service: string[];
}

/** The history's filters; Latest Notes extends them with its toggles. */
export const historySchema = Joi.object<HistoryQuery>({
  range: Joi.string()
    .valid(...RANGES)
    .default('30'),
  category: Joi.array()
    .items(Joi.string().valid(...NOTE_CATEGORIES))
    .single()
    .default([]),
  service: Joi.array()
    .items(Joi.string().pattern(/^[A-Z0-9]{1,20}$/))
    .single()
    .default([]),
}).options({ stripUnknown: true });

/** A notes filter from the query string; an unknown value is a 400 naming it. */
export function parseNotesFilter<T>(schema: Joi.ObjectSchema<T>, raw: Record<string, unknown>): T {
  const { value, error } = schema.validate(raw);
  if (error) throw new BadRequest(`Invalid notes filter: ${error.details[0].message.replace(/"/g, '')}`);
  return value;
}

export function parseHistoryQuery(raw: Record<string, unknown>): HistoryQuery {
  return parseNotesFilter(historySchema, raw);
}

const DAY = 86_400_000;

/**
 * The tenant's notes history (DOMAIN.md §5.7.1): the windows are 0-30, 30-60 and 60-90 days back, or All;
 * newest first. Stored HTML is sanitised again on the way out (never trusted on output).
 */
export async function tenantHistory(
  db: Db,
  tenant: TenantContext,
  query: HistoryQuery,
  now: Date = new Date(),
): Promise<{ notes: ShownNote[]; services: { code: string; name: string }[]; truncated: boolean }> {
  const window = query.range === 'all' ? {} : windowOf(Number(query.range), now);
  const notes = await listTenantNotes(
    db,
    tenant.id,
    { ...window, categories: query.category, services: query.service },
    HISTORY_LIMIT + 1,
  );
  return {
    notes: notes.slice(0, HISTORY_LIMIT).map((n) => shownNote(n, now)),
    services: await tenantServiceOptions(db, tenant.id),
    truncated: notes.length > HISTORY_LIMIT,
  };
}

/** The most notes one history shows; the rest are reached with a shorter range or filters. */
const HISTORY_LIMIT = 200;

export type ShownNote = NoteView & { isRecent: boolean };

/**
 * A stored note body as the histories show it: sanitised again, its text-direction controls kept as
 * written but shown as [U+202E] (so a note cannot display differently from what it holds), as ASCII.
 * A pure function of the body, and notes never change, so the results for the bodies shown last are
 * kept: every tenant page and service tab shows the same notes again, and sanitising them cost 73–130 µs
 * a page (docs/decisions.md 145). At most SHOWN_HELD characters of bodies and results are held; past
 * that the memo starts over.
 */
const SHOWN_HELD = 2_000_000;
let shownBodies = new Map<string, string>();
let shownHeld = 0;

export function shownBody(stored: string): string {
  let html = shownBodies.get(stored);
  if (html === undefined) {
    html = asciiHtml(showBidi(sanitizeNoteHtml(stored)));
    shownHeld += stored.length + html.length;
    if (shownHeld > SHOWN_HELD) {
      shownBodies = new Map();
      shownHeld = stored.length + html.length;
    }
    shownBodies.set(stored, html);
  }
  return html;
}

/** A note as the histories show it: "recent" under 7 days (DOMAIN.md §7.7); its body as shownBody gives it. */
export function shownNote(n: NoteView, now: Date): ShownNote {
  return {
    ...n,
    bodyHtml: shownBody(n.bodyHtml),
    nextAction: n.nextAction && showBidi(n.nextAction),
    isRecent: now.getTime() - new Date(n.createdAt).getTime() < 7 * DAY,
  };
}

/**
 * A service's note history on its page (DOMAIN.md §5.8 item 7): the Service Intent and Technical
 * Enablement notes naming the service, newest first, over all time.
 */
export async function serviceNotes(db: Db, tenant: TenantContext, code: string, now: Date = new Date()) {
  const notes = await listTenantNotes(
    db,
    tenant.id,
    { categories: ['Service Intent', 'Technical Enablement'], services: [code] },
    HISTORY_LIMIT + 1,
  );
  return {
    notes: notes.slice(0, HISTORY_LIMIT).map((n) => shownNote(n, now)),
    truncated: notes.length > HISTORY_LIMIT,
  };
}

export function windowOf(days: number, now: Date): { from: string; to?: string } {
  const from = new Date(now.getTime() - days * DAY).toISOString();
  return days === 30 ? { from } : { from, to: new Date(now.getTime() - (days - 30) * DAY).toISOString() };
}

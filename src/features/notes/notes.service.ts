import Joi from 'joi';
import type { Db } from '../../db/db';
import { sanitizeNote } from '../../domain/rich-text';
import { NOTE_CATEGORIES } from '../../domain/enums';
import { showBidi } from '../../domain/values';
import { BadRequest } from '../../http/errors';
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

const schema = Joi.object<HistoryQuery>({
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

export function parseHistoryQuery(raw: Record<string, unknown>): HistoryQuery {
  const { value, error } = schema.validate(raw);
  if (error) throw new BadRequest(`Invalid notes filter: ${error.details[0].message.replace(/"/g, '')}`);
  return value;
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
): Promise<{ notes: (NoteView & { isRecent: boolean })[]; services: { code: string; name: string }[] }> {
  const window = query.range === 'all' ? {} : windowOf(Number(query.range), now);
  const notes = await listTenantNotes(db, tenant.id, {
    ...window,
    categories: query.category,
    services: query.service,
  });
  return {
    notes: notes.map((n) => ({
      ...n,
      // Text-direction controls are kept as written but shown as [U+202E], so a note cannot display
      // differently from what it holds.
      bodyHtml: showBidi(sanitizeNote(n.bodyHtml).html),
      nextAction: n.nextAction && showBidi(n.nextAction),
      isRecent: now.getTime() - new Date(n.createdAt).getTime() < 7 * DAY,
    })),
    services: await tenantServiceOptions(db, tenant.id),
  };
}

function windowOf(days: number, now: Date): { from: string; to?: string } {
  const from = new Date(now.getTime() - days * DAY).toISOString();
  return days === 30 ? { from } : { from, to: new Date(now.getTime() - (days - 30) * DAY).toISOString() };
}

import Joi from 'joi';
import { Conflict, ValidationError } from './errors';

/**
 * Helpers for urlencoded form bodies. Bodies are parsed flat (express.urlencoded extended:false), so a
 * grid row arrives as keys like `statuses[0][l1]`; `rows()` rebuilds those rows without ever creating
 * objects from user-chosen property names (no prototype pollution).
 */
export type FormBody = Record<string, string | string[] | undefined>;

/**
 * A posted text as stored: trimmed, line breaks as LF. Browsers post a textarea's line breaks as CRLF;
 * stored text (and every import file) uses LF, so an unchanged note compares equal and counts the same.
 */
const text = (s: string) => s.replace(/\r\n?/g, '\n').trim();

/** The first value of a field, trimmed; '' when absent. Repeated fields take their first value. */
export function field(body: FormBody, name: string): string {
  const v = body[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? text(first) : '';
}

/** Every value of a repeatable field (`services`, `scopes`), trimmed, empty values dropped. */
export function list(body: FormBody, name: string): string[] {
  const v = body[name];
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all.map((s) => text(String(s))).filter(Boolean);
}

/** A checkbox: present with `on` (or `true`/`1`/`yes`). */
export function checked(body: FormBody, name: string): boolean {
  return ['on', 'true', '1', 'yes'].includes(field(body, name).toLowerCase());
}

const ROW_KEY = /^([a-z_]+)\[(\d{1,3})\]\[([a-z_0-9]+)\]$/;

/**
 * Rows of a grid posted as `<prefix>[i][<key>]`, in index order, at most `maxRows`. Only keys in
 * `keys` are read; anything else is ignored. Values are trimmed strings.
 */
export function rows(body: FormBody, prefix: string, keys: readonly string[], maxRows = 100): Record<string, string>[] {
  const byIndex = new Map<number, Map<string, string>>();
  for (const [k, v] of Object.entries(body)) {
    const m = ROW_KEY.exec(k);
    if (!m || m[1] !== prefix || !keys.includes(m[3])) continue;
    const index = Number(m[2]);
    if (!byIndex.has(index)) byIndex.set(index, new Map());
    const first = Array.isArray(v) ? v[0] : v;
    byIndex.get(index)!.set(m[3], typeof first === 'string' ? text(first) : '');
  }
  if (byIndex.size > maxRows) throw new ValidationError({ [prefix]: `At most ${maxRows} rows can be saved at once.` });
  return [...byIndex.keys()]
    .sort((a, b) => a - b)
    .map((i) => Object.fromEntries(keys.map((key) => [key, byIndex.get(i)!.get(key) ?? ''])));
}

/** `statuses.0.l1` (a joi path) → `statuses[0][l1]` (the form field name the message belongs to). */
export function fieldName(path: (string | number)[]): string {
  const [head, ...rest] = path;
  return `${String(head)}${rest.map((p) => `[${String(p)}]`).join('')}`;
}

/**
 * Validates with joi, collecting every problem (abortEarly false) into one ValidationError keyed by
 * form field name, first message per field. Returns the converted value.
 */
export function validate<T>(schema: Joi.Schema<T>, input: unknown): T {
  const { value, error } = schema.validate(input, {
    abortEarly: false,
    convert: true,
    errors: { wrap: { label: false } },
  });
  if (error) {
    const fields: Record<string, string> = {};
    for (const d of error.details) {
      const name = fieldName(d.path);
      fields[name] ??= d.message;
    }
    throw new ValidationError(fields);
  }
  return value;
}

/**
 * Optimistic locking: the form's hidden `version` must equal the stored one; otherwise a 409 Conflict
 * that carries what is stored now, so the page can show both and offer a reload.
 */
export function assertVersion(stored: number, submitted: string, current: Record<string, unknown> = {}): void {
  if (String(stored) !== submitted) {
    throw new Conflict('Someone else saved this record after you opened it. Your changes were not saved.', {
      storedVersion: stored,
      submittedVersion: submitted,
      current,
    });
  }
}

/**
 * The one vocabulary of values (STYLE.md › Rules live in one place): what a date, an email, a count,
 * a size and each text field may be, with the limits and the messages. The rule functions, the joi
 * schemas of every entry point and the views all read this module; nothing repeats a limit.
 */

export const LIMITS = {
  /** V-21, V-41: entitlement counts, and a service's total (which may also be 0). */
  count: 999_999_999,
  /** V-28: a status note, a migration line's notes and a rejection note. */
  statusNote: 2000,
  /** V-28 (binding scope decision): a status note has at least this many words. */
  statusNoteWords: 3,
  /** V-25: the owner of a status row. */
  owner: 200,
  /** Migration line data size in GB: at most this many decimals, at most `sizeGb`. */
  sizeDecimals: 2,
  sizeGb: 9_999_999_999.99,
  /** V-03: the Engagement Management note as posted (HTML before sanitising). */
  engagementNote: 20_000,
  /** V-72: a note's next action. */
  nextAction: 500,
  /** A note body imported as plain text. */
  noteBody: 20_000,
  /** An email address / UPN (RFC 5321's path limit). */
  email: 254,
  /** Names and most short texts (org, user, customer, contact name, role, …). */
  text: 200,
  /** Codes and identifiers (MPN ID, TPID, segment). */
  code: 40,
  /** Real dates only: years outside this range are typing mistakes, not history. */
  minYear: 1900,
  maxYear: 9999,
} as const;

/** Maximum length of each contact text field (V-10…V-13), by its domain name. */
export const CONTACT_TEXT = {
  name: LIMITS.text,
  email: LIMITS.email,
  phone: 50,
  roleTitle: LIMITS.text,
  country: LIMITS.text,
  location: LIMITS.text,
  timeZone: 100,
  surveyLanguage: LIMITS.text,
  skillType: LIMITS.text,
  msRole: LIMITS.text,
} as const;

/** The messages for a value of the wrong kind, shown under a field or after a JSON path. */
export const MESSAGES = {
  date: 'Enter a real date as YYYY-MM-DD.',
  dateTime: 'Enter an ISO 8601 date-time with a zone, e.g. 2026-08-01T10:00:00Z.',
  count: `Enter a whole number of entitlements from 1 to ${LIMITS.count.toLocaleString('en-US')}.`,
  total: `Enter a whole number from 0 to ${LIMITS.count.toLocaleString('en-US')}.`,
  sizeGb: `Enter the data size in GB with at most ${LIMITS.sizeDecimals} decimals, e.g. 120 or 120.5.`,
  email: 'Enter a valid email address, e.g. name@example.com.',
  tooLong: (max: number) => `Use at most ${max.toLocaleString('en-US')} characters.`,
  bidi: 'Remove the invisible text-direction characters (such as U+202E) from this name.',
} as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A DNS name of two or more labels; Unicode letters are allowed (internationalised domains), the top
// level has at least two letters.
const DOMAIN =
  /^(?=.{4,253}$)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}[\p{L}\p{N}-]{0,61}[\p{L}\p{N}]$/u;
// Local part: any printable character but the separators of a mail header (RFC 6531 allows Unicode).
const LOCAL = /^[^\s@<>()[\]\\",;:]{1,64}$/u;
const SIZE = /^\d{1,10}(\.\d+)?$/;

/**
 * A real calendar date written YYYY-MM-DD with a year from 1900 to 9999 (2026-02-30 and 0050-01-01
 * are refused). Compares as a string, so rules order dates with `<`.
 */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < LIMITS.minYear || y > LIMITS.maxYear || mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** An ISO 8601 date-time with a zone (Z or ±hh:mm) whose date part is a real date. */
export function isIsoDateTime(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    DATE_TIME.test(value) &&
    isIsoDate(value.slice(0, 10)) &&
    !Number.isNaN(Date.parse(value))
  );
}

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** A DNS name such as `northwind-partners.example` or `bücher.example`. */
export function isDomain(value: string): boolean {
  return DOMAIN.test(value);
}

/** A UPN/email (V-12, V-60): a local part, `@`, a domain name; at most 254 characters; Unicode allowed. */
export function isEmail(value: string): boolean {
  if (value.length > LIMITS.email) return false;
  const at = value.lastIndexOf('@');
  return at > 0 && LOCAL.test(value.slice(0, at)) && isDomain(value.slice(at + 1).toLowerCase());
}

/** The lower-cased domain part of a UPN/email ('' when there is none). */
export function domainOf(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? '' : email.slice(at + 1).toLowerCase();
}

/** An entitlement count (V-21, V-41): a whole number from 1 to 999,999,999. */
export function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= LIMITS.count;
}

/** A service's total entitlements or active users: a whole number from 0 to 999,999,999. */
export function isTotal(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= LIMITS.count;
}

/** A data size in GB: 0 or more, at most 2 decimals. */
export function isSizeGb(value: unknown): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > LIMITS.sizeGb) return false;
  return Math.abs(Math.round(value * 10 ** LIMITS.sizeDecimals) - value * 10 ** LIMITS.sizeDecimals) < 1e-6;
}

/**
 * A number typed into a form: digits with an optional decimal part, nothing else ('1e3', '0x10',
 * ' 12 ' and '' are not numbers here). NaN when it is not one, so the rules report it.
 */
export function formNumber(value: string): number {
  return SIZE.test(value) ? Number(value) : NaN;
}

/** Number of words in a text (V-28). */
export function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** An org or display name as stored: trimmed, inner runs of white space collapsed to one space. */
export function normalizeName(name: string): string {
  return withoutControls(name).trim().replace(/\s+/g, ' ');
}

// C0 controls but tab, line feed and carriage return (the form layer turns CR into LF), DEL, C1 controls.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Bidirectional embeddings, overrides, isolates and marks: they make text display differently from
// what it is (a name that reads "exe.txt" but is "txt.exe").
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const BIDI_ALL = new RegExp(BIDI.source, 'g');

/**
 * Text as every entry point stores it (the forms and the import): NUL and the other C0/C1 control
 * characters but tab and line breaks are removed. They cannot be typed, only pasted or scripted, and
 * PostgreSQL refuses NUL in text; docs/decisions.md explains why they are stripped, not refused.
 */
export function withoutControls(value: string): string {
  return value.replace(CONTROLS, '');
}

/** The message for a name holding text-direction controls (refused in names), or undefined. */
export function bidiInName(value: string | null | undefined): string | undefined {
  return value && BIDI.test(value) ? MESSAGES.bidi : undefined;
}

/** Text-direction controls written out as `[U+202E]`, so stored text (a note) shows what it holds. */
export function showBidi(value: string): string {
  return value.replace(BIDI_ALL, (ch) => `[U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** The message for a text over its limit, or undefined. */
export function tooLong(value: string | null | undefined, max: number): string | undefined {
  return value && value.length > max ? MESSAGES.tooLong(max) : undefined;
}

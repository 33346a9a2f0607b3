/** Pure checks and name builders shared by the admin services, the importer and the seeds. */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@([^@\s]+)$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The mail domain every queue principal lives in: `.invalid` can never be a real, whitelisted domain. */
export const QUEUE_DOMAIN = 'queue.ftop.invalid';

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** A DNS name such as `northwind-partners.example` (already lower-cased). */
export function isDomain(value: string): boolean {
  return DOMAIN.test(value);
}

/** A UPN/email shape whose domain part is a valid DNS name (V-60, V-12). */
export function isEmail(value: string): boolean {
  const m = EMAIL.exec(value);
  return !!m && isDomain(m[1].toLowerCase());
}

/** The lower-cased domain part of a UPN/email ('' when there is none). */
export function domainOf(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? '' : email.slice(at + 1).toLowerCase();
}

/** A real calendar date written YYYY-MM-DD (2026-02-30 is refused). */
export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** An ISO 8601 date-time with a zone (Z or ±hh:mm) whose date part is a real date. */
export function isIsoDateTime(value: string): boolean {
  return DATE_TIME.test(value) && isIsoDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value));
}

/** Lower-case ASCII slug: "Northwind Partners" → "northwind-partners". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'org';
}

/** The queue principal of a partner org (DOMAIN.md §1.1): "FTP <name>", a non-login user. */
export function queuePrincipal(orgName: string): { upn: string; displayName: string } {
  return { upn: `queue+${slugify(orgName)}@${QUEUE_DOMAIN}`, displayName: `FTP ${orgName}` };
}

/** Adds whole days to a YYYY-MM-DD date (negative goes back). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Plain text → the stored rich-text form: escaped, one `<p>` per blank-line-separated paragraph,
 * single line breaks as `<br>`. Used for imported and seeded notes, whose bodies are plain text.
 */
export function plainTextToHtml(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map(
      (para) =>
        `<p>${para
          .trim()
          .replace(/[&<>"']/g, (c) => HTML_ESCAPES[c])
          .replace(/\r?\n/g, '<br>')}</p>`,
    )
    .join('');
}

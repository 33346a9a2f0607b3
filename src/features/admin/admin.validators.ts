/** Name builders shared by the admin services, the importer and the seeds (value checks: src/domain/values.ts). */

/** The mail domain every queue principal lives in: `.invalid` can never be a real, whitelisted domain. */
export const QUEUE_DOMAIN = 'queue.ftop.invalid';

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

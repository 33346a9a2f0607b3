import type { Knex } from 'knex';

/** Data access for partner orgs and their whitelisted domains (DOMAIN.md §2.1). */

export interface OrgRow {
  id: number;
  name: string;
  mpn_id: string | null;
  queue_display_name: string;
  entra_tenant_id: string | null;
  is_active: number;
}

export interface NewOrg {
  name: string;
  mpnId: string | null;
  entraTenantId: string | null;
  isActive: boolean;
}

/** Case-insensitive: "northwind partners" and "Northwind Partners" are the same org to a human. */
export async function findOrgByName(db: Knex, name: string): Promise<OrgRow | undefined> {
  return db<OrgRow>('partner_orgs').whereRaw('lower(name) = lower(?)', [name]).first();
}

export async function findOrgByEntraTenantId(db: Knex, entraTenantId: string): Promise<OrgRow | undefined> {
  return db<OrgRow>('partner_orgs').where({ entra_tenant_id: entraTenantId }).first();
}

export async function listOrgs(db: Knex): Promise<OrgRow[]> {
  return db<OrgRow>('partner_orgs').select('*').orderBy('id');
}

/** Every whitelisted domain with its owning org. */
export async function listDomains(db: Knex): Promise<{ domain: string; org_id: number; org_name: string }[]> {
  return db('partner_domains as d')
    .join('partner_orgs as o', 'o.id', 'd.org_id')
    .select('d.domain', 'd.org_id', 'o.name as org_name')
    .orderBy('d.id');
}

export async function findDomainOwners(db: Knex, domains: string[]): Promise<{ domain: string; org_name: string }[]> {
  if (domains.length === 0) return [];
  return db('partner_domains as d')
    .join('partner_orgs as o', 'o.id', 'd.org_id')
    .whereIn('d.domain', domains)
    .select('d.domain', 'o.name as org_name');
}

export async function insertOrg(
  db: Knex,
  org: NewOrg,
  queueDisplayName: string,
  at: string,
  actorId: number | null,
): Promise<number> {
  const [row] = await db('partner_orgs')
    .insert({
      name: org.name,
      mpn_id: org.mpnId,
      entra_tenant_id: org.entraTenantId,
      is_active: org.isActive,
      queue_display_name: queueDisplayName,
      created_at: at,
      created_by: actorId,
      updated_at: at,
      updated_by: actorId,
    })
    .returning('id');
  return typeof row === 'object' ? row.id : row;
}

export async function insertDomains(db: Knex, orgId: number, domains: string[], at: string): Promise<void> {
  if (domains.length === 0) return;
  await db('partner_domains').insert(domains.map((domain) => ({ org_id: orgId, domain, created_at: at })));
}

/** The org's queue principal (kind='queue'), if it has one. */
export async function findQueueUser(db: Knex, orgId: number): Promise<{ id: number; upn: string } | undefined> {
  return db('users').where({ org_id: orgId, kind: 'queue' }).orderBy('id').first('id', 'upn');
}

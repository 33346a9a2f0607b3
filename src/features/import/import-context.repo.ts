import type { Knex } from 'knex';
import type { UserKind } from '../../domain/enums';
import { inChunks, loadExistingServices, type ExistingService } from './import-services.repo';

/**
 * Reads what the importer's cross-reference rules need from the database, in a handful of queries:
 * the catalogue, lookups, the taxonomy's L3 lists, every org with its domains, the users the file
 * names, and the tenants the file names with their services and assignments.
 */

export interface CatalogueService {
  code: string;
  name: string;
  migrationEligible: boolean;
}

export interface ExistingOrg {
  id: number;
  name: string;
  domains: string[];
  entraTenantId: string | null;
  queueUpn: string | null;
}

export interface ExistingUser {
  id: number;
  upn: string;
  kind: UserKind;
  orgId: number | null;
  orgName: string | null;
}

export interface ExistingAssignment {
  id: number;
  upn: string;
  type: string;
  scopes: { scope: string; primary: boolean }[];
}

export interface ExistingTenant {
  id: number;
  guid: string;
  name: string;
  isEnterprise: boolean;
  services: Map<string, ExistingService>;
  assignments: ExistingAssignment[];
}

export interface ImportContext {
  services: Map<string, CatalogueService>;
  lookups: Map<string, Set<string>>;
  /** L3 values by `${l1}|${l2}` (admin-maintained, DOMAIN.md §3). */
  l3: Map<string, Set<string>>;
  /** Orgs by lower-cased name. */
  orgs: Map<string, ExistingOrg>;
  domainOwner: Map<string, string>;
  entraOwner: Map<string, string>;
  users: Map<string, ExistingUser>;
  tenants: Map<string, ExistingTenant>;
  tenantGuidByName: Map<string, string>;
}

/** Loads the context for a file naming these users (UPNs), tenants (GUIDs) and tenant names. */
export async function loadImportContext(
  db: Knex,
  refs: { upns: string[]; tenantGuids: string[]; tenantNames: string[] },
): Promise<ImportContext> {
  const services = new Map<string, CatalogueService>(
    (await db('services').select('code', 'name', 'migration_eligible')).map(
      (s: { code: string; name: string; migration_eligible: number }) => [
        s.code,
        { code: s.code, name: s.name, migrationEligible: !!s.migration_eligible },
      ],
    ),
  );
  const lookups = new Map<string, Set<string>>();
  for (const row of (await db('lookups').where({ active: true }).select('kind', 'value')) as {
    kind: string;
    value: string;
  }[]) {
    if (!lookups.has(row.kind)) lookups.set(row.kind, new Set());
    lookups.get(row.kind)!.add(row.value);
  }
  const l3 = new Map<string, Set<string>>();
  for (const row of (await db('taxonomy_l3 as t3')
    .join('taxonomy_l2 as t2', 't2.id', 't3.l2_id')
    .select('t2.l1', 't2.l2', 't3.l3')) as { l1: string; l2: string; l3: string }[]) {
    const key = `${row.l1}|${row.l2}`;
    if (!l3.has(key)) l3.set(key, new Set());
    l3.get(key)!.add(row.l3);
  }

  const orgs = new Map<string, ExistingOrg>();
  const orgById = new Map<number, ExistingOrg>();
  for (const o of (await db('partner_orgs').select('id', 'name', 'entra_tenant_id')) as {
    id: number;
    name: string;
    entra_tenant_id: string | null;
  }[]) {
    const org: ExistingOrg = { id: o.id, name: o.name, domains: [], entraTenantId: o.entra_tenant_id, queueUpn: null };
    orgs.set(o.name.toLowerCase(), org);
    orgById.set(o.id, org);
  }
  const domainOwner = new Map<string, string>();
  for (const d of (await db('partner_domains').select('org_id', 'domain').orderBy('id')) as {
    org_id: number;
    domain: string;
  }[]) {
    orgById.get(d.org_id)!.domains.push(d.domain);
    domainOwner.set(d.domain, orgById.get(d.org_id)!.name);
  }
  const entraOwner = new Map<string, string>();
  for (const org of orgs.values()) if (org.entraTenantId) entraOwner.set(org.entraTenantId, org.name);
  for (const q of (await db('users').where({ kind: 'queue' }).orderBy('id').select('org_id', 'upn')) as {
    org_id: number;
    upn: string;
  }[]) {
    const org = orgById.get(q.org_id);
    if (org && !org.queueUpn) org.queueUpn = q.upn;
  }

  const tenantRows = [
    ...(await inChunks(refs.tenantGuids, (c) =>
      db('tenants').whereIn('tenant_guid', c).select('id', 'tenant_guid', 'tenant_name', 'is_enterprise'),
    )),
    ...(await inChunks(refs.tenantNames, (c) =>
      db('tenants').whereIn('tenant_name', c).select('id', 'tenant_guid', 'tenant_name', 'is_enterprise'),
    )),
  ] as { id: number; tenant_guid: string; tenant_name: string; is_enterprise: number }[];
  const tenants = new Map<string, ExistingTenant>();
  const tenantGuidByName = new Map<string, string>();
  const tenantById = new Map<number, ExistingTenant>();
  for (const t of tenantRows) {
    tenantGuidByName.set(t.tenant_name, t.tenant_guid);
    if (tenants.has(t.tenant_guid)) continue;
    const tenant: ExistingTenant = {
      id: t.id,
      guid: t.tenant_guid,
      name: t.tenant_name,
      isEnterprise: !!t.is_enterprise,
      services: new Map(),
      assignments: [],
    };
    tenants.set(t.tenant_guid, tenant);
    tenantById.set(t.id, tenant);
  }
  const ids = [...tenantById.keys()].map(String);
  for (const [tenantId, services] of await loadExistingServices(db, ids)) tenantById.get(tenantId)!.services = services;
  const assignmentRows = (await inChunks(ids, (c) =>
    db('assignments as a')
      .join('users as u', 'u.id', 'a.assignee_user_id')
      .leftJoin('assignment_scopes as s', 's.assignment_id', 'a.id')
      .whereIn('a.tenant_id', c)
      .orderBy(['a.id', 's.id'])
      .select('a.id', 'a.tenant_id', 'a.type', 'u.upn', 's.scope', 's.is_primary'),
  )) as { id: number; tenant_id: number; type: string; upn: string; scope: string | null; is_primary: number | null }[];
  const byId = new Map<number, ExistingAssignment>();
  for (const r of assignmentRows) {
    let a = byId.get(r.id);
    if (!a) {
      a = { id: r.id, upn: r.upn, type: r.type, scopes: [] };
      byId.set(r.id, a);
      tenantById.get(r.tenant_id)!.assignments.push(a);
    }
    if (r.scope) a.scopes.push({ scope: r.scope, primary: !!r.is_primary });
  }

  const upns = new Set(refs.upns);
  for (const t of tenants.values()) for (const a of t.assignments) upns.add(a.upn);
  const users = new Map<string, ExistingUser>();
  for (const u of (await inChunks([...upns], (c) =>
    db('users').whereIn('upn', c).select('id', 'upn', 'kind', 'org_id'),
  )) as {
    id: number;
    upn: string;
    kind: UserKind;
    org_id: number | null;
  }[]) {
    users.set(u.upn, {
      id: u.id,
      upn: u.upn,
      kind: u.kind,
      orgId: u.org_id,
      orgName: u.org_id ? (orgById.get(u.org_id)?.name ?? null) : null,
    });
  }
  return { services, lookups, l3, orgs, domainOwner, entraOwner, users, tenants, tenantGuidByName };
}

import crypto from 'node:crypto';
import type { Db } from '../../src/db/db';

const now = () => new Date().toISOString();
let counter = 0;
const next = () => ++counter;

export interface OrgRef {
  id: number;
  name: string;
  domain: string;
  queueUserId: number;
}

/** A partner org with one whitelisted domain and its queue principal "FTP <name>". */
export async function createOrg(
  db: Db,
  opts: { name?: string; domain?: string; entraTenantId?: string } = {},
): Promise<OrgRef> {
  const n = next();
  const name = opts.name ?? `Org ${n}`;
  const domain = (opts.domain ?? `org${n}-${crypto.randomBytes(3).toString('hex')}.example`).toLowerCase();
  const [{ id }] = await db('partner_orgs')
    .insert({
      name,
      queue_display_name: `FTP ${name}`,
      entra_tenant_id: opts.entraTenantId ?? null,
      is_active: true,
      created_at: now(),
      updated_at: now(),
    })
    .returning('id');
  await db('partner_domains').insert({ org_id: id, domain, created_at: now() });
  const [{ id: queueUserId }] = await db('users')
    .insert({
      org_id: id,
      upn: `queue+${n}@queue.ftop.invalid`,
      display_name: `FTP ${name}`,
      kind: 'queue',
      status: 'active',
      created_at: now(),
      updated_at: now(),
    })
    .returning('id');
  return { id, name, domain, queueUserId };
}

export interface UserRef {
  id: number;
  upn: string;
  orgId: number | null;
}

export async function createUser(
  db: Db,
  opts: {
    org?: OrgRef | null;
    upn?: string;
    name?: string;
    kind?: 'partner' | 'internal' | 'admin';
    partnerAdmin?: boolean;
    status?: 'active' | 'provisioned' | 'disabled';
    internalRole?: 'Onboarding RM' | 'FPM';
    managedOrgs?: OrgRef[];
  } = {},
): Promise<UserRef> {
  const n = next();
  const kind = opts.kind ?? 'partner';
  const org = kind === 'partner' ? opts.org : null;
  const upn = (opts.upn ?? `user${n}@${org ? org.domain : 'ftop.example'}`).toLowerCase();
  const [{ id }] = await db('users')
    .insert({
      org_id: org?.id ?? null,
      upn,
      display_name: opts.name ?? `User ${n}`,
      kind,
      internal_role: kind === 'internal' ? (opts.internalRole ?? 'Onboarding RM') : null,
      is_partner_admin: opts.partnerAdmin ?? false,
      status: opts.status ?? 'active',
      created_at: now(),
      updated_at: now(),
    })
    .returning('id');
  for (const m of opts.managedOrgs ?? []) await db('user_managed_orgs').insert({ user_id: id, org_id: m.id });
  return { id, upn, orgId: org?.id ?? null };
}

export interface TenantRef {
  id: number;
  guid: string;
  name: string;
}

export async function createTenant(
  db: Db,
  opts: {
    name?: string;
    customer?: string;
    country?: string;
    active?: boolean;
    overallStatus?: 'Active' | 'Blocked' | 'Paused' | null;
    statusDate?: string | null;
    priority?: 'High' | 'Medium' | 'Low' | null;
  } = {},
): Promise<TenantRef> {
  const n = next();
  const guid = crypto.randomUUID();
  const name = opts.name ?? `tenant${n}-${guid.slice(0, 6)}.onmicrosoft.com`;
  const [{ id }] = await db('tenants')
    .insert({
      tenant_guid: guid,
      tenant_name: name,
      customer_name: opts.customer ?? `Customer ${n}`,
      country: opts.country ?? 'Germany',
      is_active: opts.active ?? true,
      overall_status: opts.overallStatus ?? null,
      overall_status_date: opts.statusDate ?? null,
      priority: opts.priority ?? null,
      created_at: now(),
      updated_at: now(),
    })
    .returning('id');
  return { id, guid, name };
}

/**
 * One assignment with its scopes. `orgId` is copied from the assignee (partner scoping reads it).
 * Primary flags must respect V-64 or the partial unique index refuses the insert.
 */
export async function assign(
  db: Db,
  opts: { tenant: TenantRef; userId: number; type: string; scopes?: string[]; primary?: string[] },
): Promise<number> {
  const user = await db('users').where('id', opts.userId).first();
  const isPartnerType = ['P-RM', 'P-FM', 'P-FE'].includes(opts.type);
  const [{ id }] = await db('assignments')
    .insert({
      tenant_id: opts.tenant.id,
      assignee_user_id: opts.userId,
      org_id: user.org_id,
      type: opts.type,
      is_partner_type: isPartnerType,
      created_at: now(),
      updated_at: now(),
    })
    .returning('id');
  for (const scope of opts.scopes ?? ['TENANT']) {
    await db('assignment_scopes').insert({
      assignment_id: id,
      tenant_id: opts.tenant.id,
      type: opts.type,
      scope,
      is_primary: (opts.primary ?? []).includes(scope),
    });
  }
  return id;
}

/** An entitled service; its entitlements start as one Status Unknown / New Subscription row (DOMAIN.md §7.2). */
export async function addService(
  db: Db,
  tenant: TenantRef,
  code: string,
  opts: {
    total?: number;
    activeUsers?: number;
    scenario?: string;
    rows?: { l1: string; l2?: string | null; entitlements: number }[];
  } = {},
): Promise<number> {
  const total = opts.total ?? 100;
  const [{ id }] = await db('tenant_services')
    .insert({
      tenant_id: tenant.id,
      service_code: code,
      total_entitlements: total,
      active_users: opts.activeUsers ?? 0,
      engagement_scenario: opts.scenario ?? null,
      created_at: now(),
      updated_at: now(),
    })
    .returning('id');
  const rows =
    opts.rows ?? (total > 0 ? [{ l1: 'Status Unknown', l2: 'New Subscription or Workload', entitlements: total }] : []);
  for (const r of rows) {
    await db('entitlement_status_rows').insert({
      tenant_service_id: id,
      l1: r.l1,
      l2: r.l2 ?? null,
      entitlements: r.entitlements,
      status_note: 'Seeded by test',
      created_at: now(),
      updated_at: now(),
    });
  }
  return id;
}

import request from 'supertest';
import { sqliteForm } from '../helpers/db';
import { buildTestApp, hx, html, loginAs, type SignedIn, type TestApp } from '../helpers/app';
import {
  addService,
  assign,
  createOrg,
  createTenant,
  createUser,
  OrgRef,
  TenantRef,
  UserRef,
} from '../helpers/factories';

/**
 * Data of the Edit Assignments route tests. Org A ("Northwind"): ava (partner admin, not assigned), ben
 * (P-FM on the tenant: Tenant★, EXO★), cara (org member, not assigned: a guest). Org B: bea, P-FM on EXO
 * of the split tenant. omar: internal Onboarding RM managing org A; root: system admin.
 * Each test takes a fresh tenant from `tenant()`: org A's queue holds the tenant-primary P-RM.
 */
export interface World {
  t: TestApp;
  orgA: OrgRef;
  orgB: OrgRef;
  users: Record<'ava' | 'ben' | 'cara' | 'bea' | 'omar' | 'root', UserRef>;
  as: Record<'ava' | 'ben' | 'cara' | 'bea' | 'omar' | 'root', SignedIn>;
  /** A fresh tenant of org A: queue P-RM (Tenant★), ben P-FM (Tenant★, EXO★), omar Onboarding RM; EXO and TEAMS entitled. */
  tenant(): Promise<TenantRef & { queuePrm: number; benFm: number }>;
  close(): Promise<void>;
}

export async function openWorld(): Promise<World> {
  const t = await buildTestApp();
  const orgA = await createOrg(t.db, { name: 'Northwind Test' });
  const orgB = await createOrg(t.db, { name: 'Fabrikam Test' });
  const users = {
    ava: await createUser(t.db, { org: orgA, name: 'Ava Admin', partnerAdmin: true }),
    ben: await createUser(t.db, { org: orgA, name: 'Ben Turner' }),
    cara: await createUser(t.db, { org: orgA, name: 'Cara Guest' }),
    bea: await createUser(t.db, { org: orgB, name: 'Bea Other' }),
    omar: await createUser(t.db, { kind: 'internal', name: 'Omar Onboarding', managedOrgs: [orgA] }),
    root: await createUser(t.db, { kind: 'admin', name: 'Root Admin' }),
  };
  const as = {} as World['as'];
  for (const [k, u] of Object.entries(users)) as[k as keyof typeof users] = await loginAs(t.app, u.upn);
  async function tenant() {
    const ref = await createTenant(t.db);
    await addService(t.db, ref, 'EXO', { total: 100 });
    await addService(t.db, ref, 'TEAMS', { total: 50 });
    const queuePrm = await assign(t.db, { tenant: ref, userId: orgA.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    const benFm = await assign(t.db, {
      tenant: ref,
      userId: users.ben.id,
      type: 'P-FM',
      scopes: ['TENANT', 'EXO'],
      primary: ['TENANT', 'EXO'],
    });
    await assign(t.db, { tenant: ref, userId: users.omar.id, type: 'Onboarding RM', primary: ['TENANT'] });
    return { ...ref, queuePrm, benFm };
  }
  return { t, orgA, orgB, users, as, tenant, close: () => t.close() };
}

/** POSTs a form as `who` (plain, or with htmx headers); repeated fields as arrays. */
export function post(
  who: SignedIn,
  url: string,
  form: Record<string, string | string[]>,
  { htmx = false }: { htmx?: boolean } = {},
): request.Test {
  const body = new URLSearchParams({ _csrf: who.csrf });
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  const req = who.agent.post(url).type('form').send(body.toString());
  return htmx ? hx(req) : req;
}

/** The field messages of a 422 page, by data-field. */
export function fieldMessages(text: string): Record<string, string> {
  return Object.fromEntries(
    html(text)
      .querySelectorAll('[data-field]')
      .map((el) => [el.getAttribute('data-field')!, el.text.trim()]),
  );
}

/** An assignment's scopes as stored, `Tenant*`-style: primary flags marked with `*`, sorted. */
export async function scopesOf(t: TestApp, assignmentId: number): Promise<string[]> {
  const rows = await t.db('assignment_scopes').where('assignment_id', assignmentId).orderBy('scope');
  return rows.map((r) => `${r.scope}${r.is_primary ? '*' : ''}`);
}

export async function assignmentOf(t: TestApp, tenantId: number, userId: number, type: string) {
  return sqliteForm(await t.db('assignments').where({ tenant_id: tenantId, assignee_user_id: userId, type }).first());
}

export const base = (tenant: { guid: string }) => `/tenants/${tenant.guid}/assignments`;

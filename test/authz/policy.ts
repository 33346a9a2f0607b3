import type { Db } from '../../src/db/db';
import type { TenantRef } from '../helpers/factories';

/**
 * One entry of the authorization matrix (test/routes/authz-matrix.test.ts). Each feature keeps its
 * entries in test/authz/<feature>.policies.ts; the matrix loads every such file, and a route the app
 * answers without an entry fails the suite (deny by default, SECURITY.md case 7).
 *
 * Callers: anon; assigned (a P- assignment on the tenant); guest (same org, not assigned); other (another
 * org); internal (manages the tenant's org, read-only); admin.
 */
export type Caller = 'anon' | 'assigned' | 'guest' | 'other' | 'internal' | 'admin';
export type Expect = number | 'skip';

export interface PolicyContext {
  db: Db;
  /** A tenant of org A: queue P-RM, the `assigned` user P-FE on EXO, services EXO (20) and TEAMS (10). */
  tenant: TenantRef;
}

export interface Policy {
  /** The URL to call; may create records it needs (called once per caller, before the request). */
  path: (ctx: PolicyContext) => string | Promise<string>;
  /** Expected status per caller. GET is sent plain; POST is sent with the caller's CSRF token and `form`. */
  expect: Record<Caller, Expect>;
  /** POST body (urlencoded); an empty form is fine where the route answers 422 to it. */
  form?: Record<string, string>;
  /** Why a caller is skipped (e.g. "covered in test/routes/sessions.test.ts"). */
  note?: string;
}

/** Expectations of a route behind sign-in: anonymous callers are sent to /login. */
export const signedIn = (
  assigned: number,
  guest: number,
  other: number,
  internal: number,
  admin: number,
): Record<Caller, Expect> => ({ anon: 302, assigned, guest, other, internal, admin });

export const everyone = (status: number): Record<Caller, Expect> => ({
  anon: status,
  assigned: status,
  guest: status,
  other: status,
  internal: status,
  admin: status,
});

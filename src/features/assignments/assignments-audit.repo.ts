import type { Knex } from 'knex';
import type { Db } from '../../db/db';
import type { ScopeFlag } from '../../domain/rules/assignment.rules';
import type { Stamp } from './assignments.repo';

/**
 * AssignmentAudit (DOMAIN.md §1.4 item 10, §2.11): append-only, written in the same transaction as the
 * change. before/after hold `{"scopes": [...], "primary": [...]}`, scopes sorted, the import's format.
 */
export interface AuditEntry {
  at: string;
  actor: { name: string; orgName: string | null } | null;
  assignee: { name: string; orgName: string | null; kind: string };
  type: string;
  action: 'add' | 'update' | 'delete';
  before: ScopeFlag[] | null;
  after: ScopeFlag[] | null;
}

/** The stored form of scopes in an audit row; the import writes its audit rows with it too. */
export function auditJson(scopes: readonly ScopeFlag[] | null): string | null {
  if (!scopes) return null;
  const sorted = [...scopes].sort((a, b) => a.scope.localeCompare(b.scope));
  return JSON.stringify({
    scopes: sorted.map((s) => s.scope),
    primary: sorted.filter((s) => s.primary).map((s) => s.scope),
  });
}

function fromJson(json: string | null): ScopeFlag[] | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as { scopes?: unknown; primary?: unknown };
    const primary = Array.isArray(v.primary) ? v.primary.map(String) : [];
    return (Array.isArray(v.scopes) ? v.scopes.map(String) : []).map((scope) => ({
      scope,
      primary: primary.includes(scope),
    }));
  } catch {
    return null;
  }
}

export async function insertAudit(
  trx: Knex,
  row: {
    tenantId: number;
    assigneeUserId: number;
    type: string;
    action: AuditEntry['action'];
    before: readonly ScopeFlag[] | null;
    after: readonly ScopeFlag[] | null;
  },
  stamp: Stamp,
): Promise<void> {
  await trx('assignment_audit').insert({
    at: stamp.at,
    actor_user_id: stamp.actorId,
    tenant_id: row.tenantId,
    assignee_user_id: row.assigneeUserId,
    type: row.type,
    action: row.action,
    before_json: auditJson(row.before),
    after_json: auditJson(row.after),
  });
}

/** The tenant's assignment history, newest first, at most `limit` entries, and how many there are. */
export async function listAudit(
  db: Db,
  tenantId: number,
  limit: number,
): Promise<{ entries: AuditEntry[]; total: number }> {
  const rows = await db('assignment_audit as h')
    .join('users as u', 'u.id', 'h.assignee_user_id')
    .leftJoin('partner_orgs as uo', 'uo.id', 'u.org_id')
    .leftJoin('users as a', 'a.id', 'h.actor_user_id')
    .leftJoin('partner_orgs as ao', 'ao.id', 'a.org_id')
    .where('h.tenant_id', tenantId)
    .orderBy([
      { column: 'h.at', order: 'desc' },
      { column: 'h.id', order: 'desc' },
    ])
    .limit(limit)
    .select('h.at', 'h.type', 'h.action', 'h.before_json', 'h.after_json', 'u.display_name as assignee_name')
    .select(
      'u.kind as assignee_kind',
      'uo.name as assignee_org',
      'a.display_name as actor_name',
      'ao.name as actor_org',
    );
  const counted = await db('assignment_audit').where('tenant_id', tenantId).count({ n: '*' }).first();
  return {
    total: Number(counted?.n ?? 0),
    entries: rows.map((r) => ({
      at: r.at,
      actor: r.actor_name ? { name: r.actor_name, orgName: r.actor_org } : null,
      assignee: { name: r.assignee_name, orgName: r.assignee_org, kind: r.assignee_kind },
      type: r.type,
      action: r.action,
      before: fromJson(r.before_json),
      after: fromJson(r.after_json),
    })),
  };
}

import { plainTextToHtml } from './admin.validators';
import type { ImportNote, ImportTenant } from './import.schemas';
import { nz, type ApplyContext } from './import-apply.context';
import { contactKey, type PlannedTenant } from './import-tenant.rules';
import type * as w from './import-write.repo';
import * as tw from './import-tenant-write.repo';

/** Applies the tenant-level records of an import: assignments, contacts, notes and enterprise status entries. */

const LEGACY_CATEGORIES = new Set(['Service Status', 'Customer Readiness', 'Customer Satisfaction Issue']);

export async function applyAssignments(ctx: ApplyContext, tenantId: number, pt: PlannedTenant): Promise<void> {
  const desired: tw.DesiredAssignment[] = [];
  for (const a of pt.assignments) {
    const user = 'upn' in a.assignee ? ctx.principals.get(a.assignee.upn)! : await ctx.queueOf(a.assignee.queueOf);
    desired.push({ userId: user.id, orgId: user.orgId, type: a.type, scopes: a.scopes });
  }
  const counts = await tw.syncAssignments(ctx.trx, tenantId, desired, ctx.stamp);
  for (const outcome of ['created', 'updated', 'unchanged'] as const)
    ctx.count('assignments', outcome, counts[outcome]);
}

export async function applyContacts(ctx: ApplyContext, tenantId: number, t: ImportTenant): Promise<void> {
  if (t.contacts.length === 0) return;
  const stored = new Map(
    (await tw.listContacts(ctx.trx, tenantId)).map((c) => [
      contactKey({ type: c.contact_type, email: c.email, name: c.name }),
      c,
    ]),
  );
  for (const c of t.contacts) {
    const values: w.Row = {
      contact_type: c.type,
      name: c.name,
      email: nz(c.email),
      phone: nz(c.phone),
      role_title: nz(c.roleTitle),
      country: nz(c.country),
      location: nz(c.location),
      time_zone: nz(c.timeZone),
      is_engaged: c.engaged,
      survey_eligible: c.surveyEligible,
      survey_language: nz(c.surveyLanguage),
      do_not_call: c.doNotCall,
      skill_type: nz(c.skillType),
      ms_role: nz(c.msRole),
      source: c.source,
    };
    const outcome = await tw.upsertContact(
      ctx.trx,
      tenantId,
      stored.get(contactKey(c)),
      values,
      { source: ctx.opts.nativeNotes ? 'manual' : 'sync' },
      c.services,
      ctx.stamp,
    );
    ctx.count('contacts', outcome);
  }
}

function noteRow(ctx: ApplyContext, tenantId: number, t: ImportTenant, n: ImportNote, authorId: number): w.Row {
  const native = ctx.opts.nativeNotes;
  // Imports and legacy categories come from another system; native notes name the screen that makes them.
  const source =
    !native || LEGACY_CATEGORIES.has(n.category)
      ? 'import'
      : n.category === 'Enterprise Status'
        ? 'enterprise_status'
        : n.category === 'System Message'
          ? 'system'
          : n.overallStatus
            ? 'status_tab'
            : 'notes_editor';
  return {
    tenant_id: tenantId,
    category: n.category,
    body_html: plainTextToHtml(n.body),
    body_text: n.body.trim(),
    is_escalated: n.escalated,
    next_action: nz(n.nextAction) ?? null,
    next_action_date: n.nextActionDate ?? null,
    next_action_owner: nz(n.nextActionOwner) ?? null,
    overall_status: n.overallStatus ?? null,
    overall_status_date: n.overallStatus ? n.overallStatusDate : null,
    source_context: source,
    is_legacy: !native || LEGACY_CATEGORIES.has(n.category),
    is_system: n.category === 'System Message',
    author_user_id: authorId,
    created_at: n.createdAt,
    search_tenant: t.name,
    search_services: n.services.map((code) => ctx.serviceNames.get(code) ?? code).join(', '),
  };
}

/** Notes are immutable and keyed by (tenant, author, createdAt): a note already stored is left alone. */
export async function applyNotes(ctx: ApplyContext, tenantId: number, t: ImportTenant): Promise<void> {
  const keys = await tw.listNoteKeys(ctx.trx, tenantId);
  for (const n of t.notes) {
    const authorId = ctx.principals.get(n.author)!.id;
    if (keys.has(`${authorId}|${n.createdAt}`)) {
      ctx.count('notes', 'unchanged');
      continue;
    }
    const noteId = await tw.insertNote(ctx.trx, noteRow(ctx, tenantId, t, n, authorId), n.services);
    keys.set(`${authorId}|${n.createdAt}`, noteId);
    if (n.overallStatus) {
      await tw.insertOverallStatusHistory(ctx.trx, {
        tenant_id: tenantId,
        overall_status: n.overallStatus,
        status_date: n.overallStatusDate,
        note_id: noteId,
        by: authorId,
        at: n.createdAt,
      });
    }
    ctx.count('notes', 'created');
  }
  // Enterprise status entries are appended once (keyed by time); each comes with its Enterprise Status note.
  const times = await tw.listEnterpriseEntryTimes(ctx.trx, tenantId);
  for (const e of t.enterpriseStatus ?? []) {
    if (times.has(e.at)) continue;
    const by = ctx.principals.get(e.by)!.id;
    const note: ImportNote = {
      category: 'Enterprise Status',
      author: e.by,
      createdAt: e.at,
      body: e.note,
      services: [],
      escalated: false,
    };
    const noteId = keys.get(`${by}|${e.at}`) ?? (await tw.insertNote(ctx.trx, noteRow(ctx, tenantId, t, note, by), []));
    await tw.insertEnterpriseEntry(ctx.trx, {
      tenant_id: tenantId,
      status: e.status,
      status_date: e.statusDate,
      note: e.note,
      note_id: noteId,
      by,
      at: e.at,
    });
  }
}

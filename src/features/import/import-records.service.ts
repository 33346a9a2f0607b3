import { textToHtml } from '../../domain/rich-text';
import * as contactsRepo from '../contacts/contacts.repo';
import type { Contact, ContactRow } from '../contacts/contacts.repo';
import type { NoteWrite } from '../notes/notes-write.repo';
import type { ApplyContext } from './import-apply.context';
import type { ImportContact, ImportNote, ImportTenant } from './import.types';
import { contactKey, type PlannedTenant } from './import-tenant.rules';
import * as tw from './import-tenant-write.repo';

/** Applies the tenant-level records of an import: assignments, contacts, notes and enterprise status entries. */

const LEGACY_CATEGORIES = new Set(['Service Status', 'Customer Readiness', 'Customer Satisfaction Issue']);

export async function applyAssignments(ctx: ApplyContext, tenantId: number, pt: PlannedTenant): Promise<void> {
  const desired: tw.DesiredAssignment[] = [];
  for (const a of pt.assignments) {
    const user = 'upn' in a.assignee ? ctx.principals.get(a.assignee.upn)! : await ctx.queueOf(a.assignee.queueOf);
    desired.push({ userId: user.id, orgId: user.orgId, type: a.type, scopes: a.scopes });
  }
  const counts = await tw.syncAssignments(ctx.trx, tenantId, desired, ctx.stamp, (await ctx.queues()).deferred);
  for (const outcome of ['created', 'updated', 'unchanged'] as const)
    ctx.count('assignments', outcome, counts[outcome]);
}

const orNull = <T>(v: T | '' | null | undefined): T | null => (v === '' || v === undefined ? null : v);

/** The contact's columns after the file's values are laid over the stored ones (absent keys keep them). */
function contactRow(old: Contact | undefined, c: ImportContact): ContactRow & { source?: 'manual' | 'sync' } {
  const pick = <T>(v: T | undefined, stored: T) => (v === undefined ? stored : v);
  return {
    contact_type: c.type,
    name: c.name,
    email: orNull(pick(c.email, old?.email ?? null)),
    phone: orNull(pick(c.phone, old?.phone ?? null)),
    role_title: orNull(pick(c.roleTitle, old?.roleTitle ?? null)),
    country: orNull(pick(c.country, old?.country ?? null)),
    location: orNull(pick(c.location, old?.location ?? null)),
    time_zone: orNull(pick(c.timeZone, old?.timeZone ?? null)),
    is_engaged: pick(c.engaged, old?.isEngaged ?? false),
    survey_eligible: pick(c.surveyEligible, old?.surveyEligible ?? false),
    survey_language: orNull(pick(c.surveyLanguage, old?.surveyLanguage ?? null)),
    do_not_call: pick(c.doNotCall, old?.doNotCall ?? false),
    skill_type: orNull(pick(c.skillType, old?.skillType ?? null)),
    ms_role: orNull(pick(c.msRole, old?.msRole ?? null)),
    ...(c.source ? { source: c.source } : {}),
  };
}

const CONTACT_COLUMNS: [keyof ContactRow | 'source', keyof Contact][] = [
  ['contact_type', 'contactType'],
  ['name', 'name'],
  ['email', 'email'],
  ['phone', 'phone'],
  ['role_title', 'roleTitle'],
  ['country', 'country'],
  ['location', 'location'],
  ['time_zone', 'timeZone'],
  ['is_engaged', 'isEngaged'],
  ['survey_eligible', 'surveyEligible'],
  ['survey_language', 'surveyLanguage'],
  ['do_not_call', 'doNotCall'],
  ['skill_type', 'skillType'],
  ['ms_role', 'msRole'],
  ['source', 'source'],
];

/** Contacts go through the contacts feature's repository, like the dialog's; unchanged ones are not touched. */
export async function applyContacts(
  ctx: ApplyContext,
  tenantId: number,
  t: ImportTenant,
  isNew: boolean,
): Promise<void> {
  if (t.contacts.length === 0) return;
  const stored = new Map(
    (isNew ? [] : await contactsRepo.listContacts(ctx.trx, tenantId)).map((c) => [
      contactKey({ type: c.contactType, email: c.email, name: c.name }),
      c,
    ]),
  );
  for (const c of t.contacts) {
    const old = stored.get(contactKey(c));
    const row = contactRow(old, c);
    const services = [...(c.services ?? old?.services ?? [])].sort();
    if (!old) {
      const source = c.source ?? (ctx.opts.nativeNotes ? 'manual' : 'sync');
      await contactsRepo.insertContact(ctx.trx, tenantId, ctx.stamp.actorId, row, services, {
        source,
        now: ctx.stamp.at,
      });
      ctx.count('contacts', 'created');
      continue;
    }
    const same =
      CONTACT_COLUMNS.every(([col, key]) => row[col] === undefined || row[col] === old[key]) &&
      services.join(',') === [...old.services].sort().join(',');
    if (!same)
      await contactsRepo.updateContact(ctx.trx, tenantId, old.id, ctx.stamp.actorId, row, services, ctx.stamp.at);
    ctx.count('contacts', same ? 'unchanged' : 'updated');
  }
}

function noteRow(ctx: ApplyContext, tenantId: number, t: ImportTenant, n: ImportNote, authorId: number): NoteWrite {
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
    body_html: textToHtml(n.body),
    body_text: n.body.trim(),
    is_escalated: n.escalated,
    next_action: orNull(n.nextAction),
    next_action_date: n.nextActionDate ?? null,
    next_action_owner: orNull(n.nextActionOwner),
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
export async function applyNotes(ctx: ApplyContext, tenantId: number, t: ImportTenant, isNew: boolean): Promise<void> {
  const keys = isNew ? new Map<string, number>() : await tw.listNoteKeys(ctx.trx, tenantId);
  const { notes } = await ctx.queues();
  for (const n of t.notes) {
    const authorId = ctx.principals.get(n.author)!.id;
    if (keys.has(`${authorId}|${n.createdAt}`)) {
      ctx.count('notes', 'unchanged');
      continue;
    }
    const noteId = await notes.add(noteRow(ctx, tenantId, t, n, authorId), n.services);
    keys.set(`${authorId}|${n.createdAt}`, noteId);
    if (n.overallStatus) {
      await notes.addChild('overall_status_history', {
        tenant_id: tenantId,
        overall_status: n.overallStatus,
        status_date: n.overallStatusDate!,
        note_id: noteId,
        by: authorId,
        at: n.createdAt,
      });
    }
    ctx.count('notes', 'created');
  }
  // Enterprise status entries are appended once (keyed by time); each comes with its Enterprise Status note.
  const times = isNew ? new Set<string>() : await tw.listEnterpriseEntryTimes(ctx.trx, tenantId);
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
    const noteId = keys.get(`${by}|${e.at}`) ?? (await notes.add(noteRow(ctx, tenantId, t, note, by), []));
    await notes.addChild('enterprise_status_entries', {
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

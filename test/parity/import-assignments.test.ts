import crypto from 'node:crypto';
import type { Db } from '../../src/db/db';
import { html } from '../helpers/app';
import { baseDoc, type Env, formControls, importCase, importVerdict, openEnv, postForm, USER } from './parity-helpers';

/**
 * One assignment, two entry points (STYLE.md › Rules live in one place; V-60…V-68 in
 * src/domain/rules/assignment.rules.ts): each row enters the same assignment through the CLI import (one more
 * entry in the tenant's `assignments`) and through Edit Assignments (the Add step and the Services/Workloads
 * pane as rendered, posted as a browser does without JavaScript), as the base tenant's P-RM, Pia. Both must
 * reach the same verdict on the same field; when both accept, they store the same assignments, and the stored
 * assignment posted back unchanged through the pane changes nothing.
 */

const SAM = 'sam@parity-partners.example';
const OLGA = 'olga@other-partners.example';

interface Entry {
  type: string;
  user: string;
  scopes: string[];
  primary: string[];
}

/**
 * 'ok' / 'refused': the same on both (the import's path, the dialog's field). The documented differences:
 * - 'provision': a whitelisted username nobody has used yet is provisioned by the dialog (V-60, A-22); the
 *   import creates users only from its `users` list and refuses an unknown one.
 * - 'system': the import writes as the system, like a system admin, so it may assign another org's user
 *   (split delivery, §1.5); a partner may only add people of their own org's whitelisted domains (V-60).
 * - 'forbidden': both refuse an internal type for a partner user; the dialog as a 403 (V-61, read-only tab).
 * - 'existing': the same person and type twice is a mistake in a file (V-65); the dialog opens the stored
 *   record for editing instead.
 */
type Verdict = 'ok' | 'refused' | 'provision' | 'system' | 'forbidden' | 'existing';
type Row = [name: string, entry: Entry | 'lone-prm', verdict: Verdict, at?: [path: string, field: string]];

const e = (type: string, user: string, scopes: string[], primary: string[] = []): Entry => ({
  type,
  user,
  scopes,
  primary,
});

const ROWS: Row[] = [
  ['V-60: a domain no org has whitelisted', e('P-FE', 'eve@gmail.example', ['EXO']), 'refused', ['user', 'username']],
  [
    'V-60: a whitelisted username nobody has used yet',
    e('P-FE', 'new.person@parity-partners.example', ['EXO']),
    'provision',
  ],
  ["V-60: another org's user", e('P-FE', OLGA, ['EXO']), 'system'],
  ['V-61: an internal type', e('Onboarding RM', SAM, ['TENANT']), 'forbidden'],
  ['V-62: no scope', e('P-FE', SAM, []), 'refused', ['scopes', 'scopes']],
  ['a scope that is not in the catalogue', e('P-FE', SAM, ['BOGUS']), 'refused', ['scopes[0]', 'scopes']],
  ['V-63: a primary that is not assigned', e('P-FE', SAM, ['EXO'], ['TENANT']), 'refused', ['primary[0]', 'primary']],
  ['V-64: a primary another P-RM holds', e('P-RM', SAM, ['TENANT'], ['TENANT']), 'refused', ['primary', 'primary']],
  ['V-64: the same scope primary for another type', e('P-FM', SAM, ['TENANT', 'EXO'], ['TENANT']), 'ok'],
  ['a P-FE on services only, primary on one', e('P-FE', SAM, ['EXO', 'INTUNE'], ['EXO']), 'ok'],
  ['V-65: the same person and type twice', e('P-RM', USER, ['EXO']), 'existing'],
  ['V-68: the only P-RM without the tenant primary', 'lone-prm', 'ok'],
];

/** The tenant's assignments as comparable lines: `type user scope*,scope`. */
async function stored(db: Db, guid: string): Promise<string[]> {
  const rows = await db('assignments as a')
    .join('tenants as t', 't.id', 'a.tenant_id')
    .join('users as u', 'u.id', 'a.assignee_user_id')
    .leftJoin('assignment_scopes as s', 's.assignment_id', 'a.id')
    .where('t.tenant_guid', guid)
    .orderBy(['a.type', 'u.upn', 's.scope'])
    .select('a.type', 'u.upn', 's.scope', 's.is_primary');
  const lines = new Map<string, string[]>();
  for (const r of rows) {
    const key = `${r.type} ${r.upn}`;
    lines.set(key, [...(lines.get(key) ?? []), `${r.scope}${r.is_primary ? '*' : ''}`]);
  }
  return [...lines].map(([k, v]) => `${k} ${v.join(',')}`);
}

const audits = (db: Db, guid: string) =>
  db('assignment_audit as h')
    .join('tenants as t', 't.id', 'h.tenant_id')
    .where('t.tenant_guid', guid)
    .count({ n: '*' })
    .first();

function setList(fields: URLSearchParams, name: string, values: string[]): void {
  fields.delete(name);
  for (const v of values) fields.append(name, v);
}

/** Edit Assignments as Pia: the Add step of a block, then the pane (or, for 'lone-prm', her own P-RM's pane). */
async function dialog(env: Env, guid: string, entry: Entry | 'lone-prm'): Promise<string> {
  const base = `/tenants/${guid}/assignments`;
  let pane: string;
  if (entry === 'lone-prm') {
    const id = (
      await env.t
        .db('assignments as a')
        .join('tenants as t', 't.id', 'a.tenant_id')
        .where({ 't.tenant_guid': guid, 'a.type': 'P-RM' })
        .first('a.id')
    ).id;
    pane = (await env.who.agent.get(`${base}?edit=${id}`)).text;
  } else {
    const add = formControls((await env.who.agent.get(base)).text, '[data-block="P-FE"] form.asg-add');
    add.fields.set('type', entry.type);
    add.fields.set('username', entry.user);
    const started = await env.who.agent.post(add.action).type('form').send(add.fields.toString());
    if (started.status === 403) return 'HTTP 403';
    if (started.status === 422)
      return `refused at ${html(started.text).querySelector('[data-field]')!.getAttribute('data-field')}`;
    pane = started.text;
    if (html(pane).querySelector('[data-notice]')?.text.includes('already has')) return 'opens the existing record';
  }
  const form = formControls(pane, '#asg-pane');
  if (entry === 'lone-prm') setList(form.fields, 'primary', []);
  else {
    setList(form.fields, 'scopes', entry.scopes);
    setList(form.fields, 'primary', entry.primary);
  }
  return postForm(env, form);
}

describe('the same assignment through the import and Edit Assignments', () => {
  let env: Env;
  beforeAll(async () => {
    env = await openEnv('total');
    const doc = baseDoc(crypto.randomUUID(), 'total');
    doc.file.orgs.push({ name: 'Other Partners', domains: ['other-partners.example'] });
    doc.file.users.push({ email: SAM, name: 'Sam Parity', org: 'Parity Partners' });
    doc.file.users.push({ email: OLGA, name: 'Olga Other', org: 'Other Partners' });
    expect(await importVerdict(env, doc)).toBe('accepted');
  });
  afterAll(() => env.t.close());

  for (const [name, entry, verdict, at] of ROWS) {
    it(`${name} → ${verdict}`, async () => {
      const toDoc = (d: ReturnType<typeof baseDoc>) => {
        if (entry === 'lone-prm') d.tenant.assignments[0].primary = [];
        else d.tenant.assignments.push(entry);
      };
      const importExpected = {
        ok: 'accepted',
        system: 'accepted',
        refused: `refused at assignments[1].${at?.[0]}`,
        provision: 'refused at assignments[1].user',
        forbidden: 'refused at assignments[1].type',
        existing: 'refused at assignments[1]',
      }[verdict];
      const dialogExpected = {
        ok: 'accepted',
        provision: 'accepted',
        refused: `refused at ${at?.[1]}`,
        system: 'refused at username',
        forbidden: 'HTTP 403',
        existing: 'opens the existing record',
      }[verdict];

      // 1. Through the import.
      const a = await importCase(env, toDoc);
      expect(a.verdict).toBe(importExpected);

      // 2. Through the dialog, on a fresh base tenant; a refusal stores nothing.
      const { guid, verdict: base } = await importCase(env, () => undefined);
      expect(base).toBe('accepted');
      const before = await stored(env.t.db, guid);
      const b = await dialog(env, guid, entry);
      expect(b).toBe(dialogExpected);
      if (b !== 'accepted') expect(await stored(env.t.db, guid)).toEqual(before);

      // 3. Accepted on both: the same assignments stored, and the pane posted back unchanged changes nothing.
      if (verdict === 'ok') {
        const imported = await stored(env.t.db, a.guid);
        expect(await stored(env.t.db, guid)).toEqual(imported);
        const count = Number((await audits(env.t.db, a.guid))!.n);
        const unchanged =
          entry === 'lone-prm' ? await dialog(env, a.guid, entry) : await postUnchanged(env, a.guid, entry);
        expect(unchanged).toBe('accepted');
        expect(await stored(env.t.db, a.guid)).toEqual(imported);
        if (entry !== 'lone-prm') expect(Number((await audits(env.t.db, a.guid))!.n)).toBe(count);
      }
    });
  }
});

/** The imported assignment's pane, posted back as rendered. */
async function postUnchanged(env: Env, guid: string, entry: Entry): Promise<string> {
  const a = await env.t
    .db('assignments as a')
    .join('tenants as t', 't.id', 'a.tenant_id')
    .join('users as u', 'u.id', 'a.assignee_user_id')
    .where({ 't.tenant_guid': guid, 'a.type': entry.type, 'u.upn': entry.user })
    .first('a.id');
  const page = await env.who.agent.get(`/tenants/${guid}/assignments?edit=${a.id}`);
  return postForm(env, formControls(page.text, '#asg-pane'));
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedDemo } from '../../seeds/demo';
import { createDb, type Db } from '../../src/db/db';
import { html, loginAs, type TestApp } from '../helpers/app';
import { buildAppOver } from '../helpers/faults';
import { createPgDatabase, describeOnPostgres } from '../helpers/pg';
import { cli } from '../helpers/cli';

/**
 * `ftop copy-db --to postgres://…` (docs/deploy.md): a demo SQLite database with a few notes written
 * through the app, copied into a new PostgreSQL database by the CLI, then read through the app on both.
 */

const AVA = 'ava@northwind-partners.example';
const TABLES = [
  'partner_orgs',
  'partner_domains',
  'users',
  'tenants',
  'tenant_services',
  'entitlement_status_rows',
  'assignments',
  'assignment_scopes',
  'contacts',
  'notes',
  'note_services',
  'overall_status_history',
  'enterprise_status_entries',
  'services',
  'suggest_model',
];

const count = async (db: Db, table: string) => Number((await db(table).count({ n: '*' }).first())!.n);
const tenantRows = (text: string) =>
  html(text)
    .querySelectorAll('#tenant-table tbody tr')
    .map((tr) => tr.text.replace(/\s+/g, ' ').trim());

describeOnPostgres('ftop copy-db (SQLite → PostgreSQL)', () => {
  let source: TestApp;
  let target: TestApp;
  let pg: { url: string; drop: () => Promise<void> };
  let copy: { code: number | null; stdout: string; stderr: string };
  let tenantGuid: string;

  beforeAll(async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ftop-copy-')), 'source.sqlite3');
    const db = createDb(`sqlite:${file}`);
    await db.migrate.latest();
    await seedDemo(db);
    await db.destroy();
    source = buildAppOver(`sqlite:${file}`);
    // A few notes written through the app, with a word no demo note has.
    const ava = await loginAs(source.app, AVA);
    const row = await source
      .db('tenants as t')
      .join('assignments as a', 'a.tenant_id', 't.id')
      .join('users as u', 'u.id', 'a.assignee_user_id')
      .where('u.upn', AVA)
      .orderBy('t.id')
      .first('t.tenant_guid');
    tenantGuid = row.tenant_guid;
    for (const n of [1, 2, 3]) {
      const res = await ava.agent
        .post('/notes')
        .type('form')
        .send({
          tenant_id: tenantGuid,
          category: 'Engagement Management',
          body: `Quokka workshop ${n} held with the customer team.`,
          _csrf: ava.csrf,
        });
      expect(res.status).toBe(303);
    }
    pg = await createPgDatabase(); // empty: copy-db migrates it first
    copy = await cli(`sqlite:${file}`, 'copy-db', '--to', pg.url);
    target = buildAppOver(pg.url);
  }, 120_000);
  afterAll(async () => {
    await source?.close();
    await target?.close();
    await pg?.drop();
  });

  it('migrates the target, copies every table and prints one summary line without the URL', () => {
    expect(copy).toMatchObject({ code: 0, stderr: '' });
    const lines = copy.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toBe(`copy-db: migrated the target (${lines[0].match(/\((\d+)/)![1]} migration(s))`);
    expect(lines[lines.length - 1]).toMatch(
      /^copy-db: copied \d+ tables, \d+ rows in [\d.]+ s; row counts equal, \d+ sampled rows equal column by column$/,
    );
    expect(copy.stdout).not.toContain(pg.url);
  });

  it('has the same number of rows in every table', async () => {
    for (const table of TABLES)
      expect([table, await count(target.db, table)]).toEqual([table, await count(source.db, table)]);
    expect(await count(target.db, 'notes')).toBeGreaterThan(3);
  });

  it('shows a signed-in user the same tenant list and tenant notes on both databases', async () => {
    const a = await loginAs(source.app, AVA);
    const b = await loginAs(target.app, AVA);
    for (const tab of ['my-active', 'partner']) {
      const [left, right] = [await a.agent.get(`/tenants?tab=${tab}`), await b.agent.get(`/tenants?tab=${tab}`)];
      expect(right.status).toBe(200);
      expect(tenantRows(right.text)).toEqual(tenantRows(left.text));
      expect(tenantRows(right.text).length).toBeGreaterThan(0);
    }
    const notes = async (s: typeof a) =>
      html((await s.agent.get(`/tenants/${tenantGuid}/notes?range=all`)).text)
        .querySelectorAll('article, li.note, .note')
        .map((n) => n.text.replace(/\s+/g, ' ').trim());
    expect(await notes(b)).toEqual(await notes(a));
    expect((await notes(b)).join(' ')).toContain('Quokka workshop 3');
  });

  it('finds a copied note with notes search on PostgreSQL', async () => {
    const b = await loginAs(target.app, AVA);
    const res = await b.agent.get('/notes/search?q=quokka');
    expect(res.status).toBe(200);
    const hits = html(res.text).querySelectorAll('.search-hits .note');
    expect(hits).toHaveLength(3);
    expect(hits.map((h) => h.text).join(' ')).toContain('workshop 2');
  });

  it('moves the id sequences past the copied ids: a new note saves with the next id', async () => {
    const b = await loginAs(target.app, AVA);
    const max = Number((await target.db('notes').max({ m: 'id' }).first())!.m);
    const res = await b.agent.post('/notes').type('form').send({
      tenant_id: tenantGuid,
      category: 'Engagement Management',
      body: 'After the move to PostgreSQL.',
      _csrf: b.csrf,
    });
    expect(res.status).toBe(303);
    expect(Number((await target.db('notes').max({ m: 'id' }).first())!.m)).toBe(max + 1);
  });

  it('refuses a target that is not empty: exit 1, one line, nothing changed', async () => {
    const before = await count(target.db, 'notes');
    const again = await cli(source.config.databaseUrl, 'copy-db', '--to', pg.url);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^error: the target database is not empty \(\w+ has \d+ rows\); copy-db fills only an empty, migrated database\n$/,
    );
    expect(await count(target.db, 'notes')).toBe(before);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../../src/db/db';
import { createTestDb, onPostgres, sqliteForm } from '../helpers/db';
import { createPgDatabase, describeOnPostgres } from '../helpers/pg';
import { PG_BACKUP_HINT } from '../../src/cli/backup.command';
import { MESSAGES } from '../../src/domain/values';
import { cli, spawned } from '../helpers/cli';

/** This run's test databases are PostgreSQL (FTOP_TEST_DB=postgres). */
const ON_PG = onPostgres();
const lines = (text: string) => text.split('\n').filter(Boolean);
const count = async (db: Db, table: string) => Number((await db(table).count({ n: '*' }).first())!.n);
const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ftop-cli-'));

describe('CLI (CONTRACT.md §3)', () => {
  const open: Db[] = [];
  const migrated = async () => {
    const t = await createTestDb();
    open.push(t.db);
    return t;
  };
  afterAll(async () => {
    for (const db of open) await db.destroy();
  });

  it('migrate creates the schema on a new file, then reports it is up to date', async () => {
    const url = `sqlite:${path.join(tmpDir(), 'nested', 'new.sqlite3')}`;
    const first = await cli(url, 'migrate');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(
      /^migrate: applied \d+ migration\(s\): 20261122_001_orgs_users, .*_service_phase_history/,
    );
    expect(await cli(url, 'migrate')).toMatchObject({ code: 0, stdout: 'migrate: already up to date\n' });
  });

  it('refuses data commands on a database that does not exist, without creating it', async () => {
    const file = path.join(tmpDir(), 'missing.sqlite3');
    const run = await cli(`sqlite:${file}`, 'orgs', 'add', '--name', 'X', '--domain', 'x.example');
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([`error: database ${file} does not exist; run the migrate command first`]);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('orgs add and users add: creates the org, its domains and queue principal, then a partner admin', async () => {
    const { db, url } = await migrated();
    const org = await cli(
      url,
      'orgs',
      'add',
      '--name',
      'Contoso Partners',
      '--domain',
      'Contoso-Partners.example',
      '--domain',
      'contosopartners.onmicrosoft.com',
      '--entra-tenant-id',
      '8B1C2D3E-4F50-4A6B-9C7D-8E9F0A1B2C3D',
    );
    expect(org).toMatchObject({ code: 0, stderr: '' });
    expect(org.stdout).toContain('queue principal queue+contoso-partners@queue.ftop.invalid ("FTP Contoso Partners")');
    const row = await db('partner_orgs').where({ name: 'Contoso Partners' }).first();
    expect(row).toMatchObject({
      queue_display_name: 'FTP Contoso Partners',
      entra_tenant_id: '8b1c2d3e-4f50-4a6b-9c7d-8e9f0a1b2c3d',
    });
    expect(await db('partner_domains').where({ org_id: row.id }).orderBy('domain').pluck('domain')).toEqual([
      'contoso-partners.example',
      'contosopartners.onmicrosoft.com',
    ]);
    expect(await db('users').where({ org_id: row.id, kind: 'queue' }).first()).toMatchObject({
      display_name: 'FTP Contoso Partners',
      status: 'active',
    });

    const user = await cli(
      url,
      'users',
      'add',
      '--email',
      'Zoe.Li@ContosoPartners.onmicrosoft.com',
      '--name',
      'Zoe Li',
      '--org',
      'Contoso Partners',
      '--partner-admin',
    );
    expect(user).toMatchObject({ code: 0, stderr: '' });
    expect(
      sqliteForm(await db('users').where({ upn: 'zoe.li@contosopartners.onmicrosoft.com' }).first()),
    ).toMatchObject({
      org_id: row.id,
      kind: 'partner',
      is_partner_admin: 1,
      display_name: 'Zoe Li',
    });
  });

  it('users add with a domain not whitelisted for the org (V-60): exit 1, one line on stderr, nothing written', async () => {
    const { db, url } = await migrated();
    await cli(url, 'orgs', 'add', '--name', 'Litware Partners', '--domain', 'litware-partners.example');
    const users = await count(db, 'users');
    const run = await cli(
      url,
      'users',
      'add',
      '--email',
      'mallory@evil.example',
      '--name',
      'Mallory',
      '--org',
      'Litware Partners',
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toEqual([
      'error: domain evil.example is not whitelisted for Litware Partners (whitelisted: litware-partners.example)',
    ]);
    expect(await count(db, 'users')).toBe(users);

    const dup = await cli(url, 'orgs', 'add', '--name', 'Copycat', '--domain', 'LITWARE-partners.example');
    expect(dup.code).toBe(1);
    expect(lines(dup.stderr)).toEqual([
      'error: domain litware-partners.example is already whitelisted for Litware Partners',
    ]);
    expect(await count(db, 'partner_orgs')).toBe(1);

    // Issue 7 (case 51): text-direction controls are refused in names, control characters stripped.
    const rlo = await cli(url, 'orgs', 'add', '--name', 'Evil \u202Eenrtap', '--domain', 'evil-rlo.example');
    expect(rlo.code).toBe(1);
    expect(lines(rlo.stderr)).toEqual([`error: --name: ${MESSAGES.bidi}`]);
    expect(await count(db, 'partner_orgs')).toBe(1);
  });

  it('a PostgreSQL DATABASE_URL the server refuses: exit 1, one line with its reason, never the URL', async () => {
    const r = await cli('postgres://nobody-here:s3cret-pw@127.0.0.1:5432/ftop', 'migrate');
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(/^error: PostgreSQL \(DATABASE_URL\) cannot be reached: .*"nobody-here"/),
    ]);
    expect(r.stdout + r.stderr).not.toContain('s3cret-pw');
  });

  it('usage errors: exit 1 with one error line (as a child process, the way an admin runs it)', async () => {
    const { url } = await migrated();
    const usage = await spawned(url, ['users', 'add', '--email', 'a@b.example']);
    expect(usage.code).toBe(1);
    expect(lines(usage.stderr)).toEqual(["error: required option '--name <name>' not specified"]);
    const seed = await cli(url, 'seed', '--tenants', '10', '--orgs', '20');
    expect(lines(seed.stderr)).toEqual(['error: --orgs (20) must not exceed --tenants (10)']);
  });

  it('suggest prints one JSON line per note, from the argument or from standard input', async () => {
    const { url } = await migrated();
    const one = await cli(url, 'suggest', 'We are migrating 300 mailboxes with a hybrid migration');
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({
      l1: 'In Progress',
      l2: 'Migration',
      confidence: expect.stringMatching(/high|marginal/),
    });
    const many = await spawned(url, ['suggest'], 'This is a duplicate test tenant\nok\n');
    expect(many.code).toBe(0);
    const out = lines(many.stdout).map((l) => JSON.parse(l));
    expect(out).toHaveLength(2);
    expect(out[0].l1).toBe('Duplicate/Invalid');
    expect(out[1].confidence).toBe('poor');
  });

  it('seed --demo twice: the second run changes nothing', async () => {
    const { db, url } = await migrated();
    const first = await cli(url, 'seed', '--demo');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/seed: demo data set loaded in [\d.]+ s/);
    const tables = [
      'partner_orgs',
      'users',
      'tenants',
      'tenant_services',
      'entitlement_status_rows',
      'assignments',
      'contacts',
      'notes',
      'note_templates',
    ];
    const before = await Promise.all(tables.map((t) => count(db, t)));
    expect(before[2]).toBeGreaterThanOrEqual(80);
    const second = await cli(url, 'seed', '--demo');
    expect(second).toMatchObject({ code: 0, stdout: 'seed: demo data set already present; nothing changed\n' });
    expect(await Promise.all(tables.map((t) => count(db, t)))).toEqual(before);
  });

  it('seed --tenants prints plain progress lines and the elapsed time', async () => {
    const { db, url } = await migrated();
    const run = await cli(url, 'seed', '--tenants', '200', '--orgs', '4', '--notes-per-tenant', '1', '--seed', '3');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const out = lines(run.stdout);
    expect(out).toContain('seed: 50% (100/200)');
    expect(out[out.length - 1]).toMatch(/^seed: 200 tenants, 4 orgs, 16 users, 200 notes \(seed 3\) in [\d.]+ s$/);
    expect(await count(db, 'tenants')).toBe(200);
  });

  // The SQLite backup API has no PostgreSQL counterpart here: on PostgreSQL the test below checks the refusal.
  (ON_PG ? it.skip : it)(
    'backup writes a copy whose integrity_check is ok and refuses an existing target',
    async () => {
      const { url } = await migrated();
      await cli(url, 'orgs', 'add', '--name', 'Backup Partners', '--domain', 'backup-partners.example');
      const target = path.join(tmpDir(), 'copy.sqlite3');
      const run = await cli(url, 'backup', target);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain('integrity_check ok; rows: partner_orgs 1, users 1, tenants 0');
      const copy = new Database(target, { readonly: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(copy.prepare('SELECT name FROM partner_orgs').pluck().all()).toEqual(['Backup Partners']);
      } finally {
        copy.close();
      }
      const size = fs.statSync(target).size;
      const again = await cli(url, 'backup', target);
      expect(again.code).toBe(1);
      expect(lines(again.stderr)).toEqual([`error: ${target} already exists; backups never overwrite a file`]);
      expect(fs.statSync(target).size).toBe(size);
    },
  );

  it('import: a bad file exits 1 listing every problem with its JSON path and writes nothing', async () => {
    const { db, url } = await migrated();
    const dir = tmpDir();
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        orgs: [{ name: 'Northwind Partners', domains: ['northwind-partners.example'] }],
        users: [{ email: 'eve@evil.example', name: 'Eve', org: 'Northwind Partners' }],
        tenants: [
          {
            tenantId: '0b9d3d43-1c55-4d76-9f4e-8a1f2e7c5b21',
            name: 'adatum.onmicrosoft.com',
            customer: 'Adatum',
            services: [
              {
                code: 'EXO',
                entitlements: 10,
                statuses: [{ l1: 'In Progress', entitlements: 9, note: 'Deploying to pilot users' }],
              },
            ],
            assignments: [{ type: 'P-RM', user: 'eve@evil.example', scopes: ['TENANT'], primary: ['TENANT'] }],
          },
        ],
      }),
    );
    const run = await cli(url, 'import', file);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([
      'error: 3 problems in the import file; nothing was imported:',
      '  users[0].email: domain not whitelisted for Northwind Partners',
      '  tenants[0].services[0].statuses: Entitlement statuses must add up to 10 entitlements (currently 9). [V-26]',
      '  tenants[0].assignments[0].user: domain not whitelisted for Northwind Partners',
    ]);
    expect(await count(db, 'partner_orgs')).toBe(0);
    expect(await count(db, 'tenants')).toBe(0);

    fs.writeFileSync(path.join(dir, 'broken.json'), '{\n  "orgs": [\n');
    const broken = await cli(url, 'import', path.join(dir, 'broken.json'));
    expect(broken.code).toBe(1);
    expect(lines(broken.stderr)).toEqual([
      `error: ${path.join(dir, 'broken.json')}: invalid JSON at line 3, column 1: expected a value, found end of file`,
    ]);
  });

  it('import: a valid file loads, and importing it again changes nothing', async () => {
    const { db, url } = await migrated();
    const file = path.join(tmpDir(), 'good.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        orgs: [{ name: 'Northwind Partners', domains: ['northwind-partners.example'] }],
        users: [
          { email: 'ava@northwind-partners.example', name: 'Ava Smith', org: 'Northwind Partners', partnerAdmin: true },
        ],
        tenants: [
          {
            tenantId: '0b9d3d43-1c55-4d76-9f4e-8a1f2e7c5b21',
            name: 'adatum.onmicrosoft.com',
            customer: 'Adatum',
            services: [{ code: 'EXO', entitlements: 10 }],
            assignments: [{ type: 'P-RM', user: 'ava@northwind-partners.example', scopes: ['TENANT'], primary: [] }],
            notes: [
              {
                category: 'Environment',
                author: 'ava@northwind-partners.example',
                createdAt: '2026-01-05T09:30:00+01:00',
                body: 'On-premises Exchange 2016.',
              },
            ],
          },
        ],
      }),
    );
    const first = await cli(url, 'import', file);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(
      /^imported: 1 org, 1 user, 1 tenant, 1 service, 1 assignment, 0 contacts, 1 note \(created 6, updated 0, unchanged 0\) in [\d.]+ s\n$/,
    );
    expect(sqliteForm(await db('assignment_scopes').first())).toMatchObject({ scope: 'TENANT', is_primary: 1 }); // V-68
    const second = await cli(url, 'import', file);
    expect(second.stdout).toMatch(/\(created 0, updated 0, unchanged 6\)/);
    // The imported note and the Service Intent note of the status row, each written once.
    expect(await count(db, 'notes')).toBe(2);
  });
});

describeOnPostgres('CLI on PostgreSQL', () => {
  it('migrate creates the schema in an empty database, then reports it is up to date', async () => {
    const pg = await createPgDatabase();
    try {
      const first = await cli(pg.url, 'migrate');
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toMatch(
        /^migrate: applied \d+ migration\(s\): 20261122_001_orgs_users, .*_notes_search_scope\n$/,
      );
      expect(await cli(pg.url, 'migrate')).toMatchObject({ code: 0, stdout: 'migrate: already up to date\n' });
      const orgs = await cli(pg.url, 'orgs', 'add', '--name', 'Fresh Partners', '--domain', 'fresh.example');
      expect(orgs).toMatchObject({ code: 0, stderr: '' });
    } finally {
      await pg.drop();
    }
  });

  it('three migrate runs at once on an empty database: one applies the migrations, the others wait and find none', async () => {
    const pg = await createPgDatabase();
    try {
      const runs = await Promise.all([1, 2, 3].map(() => cli(pg.url, 'migrate')));
      expect(runs.map((r) => [r.code, r.stderr])).toEqual([
        [0, ''],
        [0, ''],
        [0, ''],
      ]);
      const outs = runs.map((r) => r.stdout);
      expect(outs.filter((o) => /^migrate: applied \d+ migration\(s\)/.test(o))).toHaveLength(1);
      expect(outs.filter((o) => o === 'migrate: already up to date\n')).toHaveLength(2);
    } finally {
      await pg.drop();
    }
  }, 120_000);

  it('refuses data commands before the schema is migrated, writing nothing', async () => {
    const pg = await createPgDatabase();
    try {
      const run = await cli(pg.url, 'orgs', 'add', '--name', 'X', '--domain', 'x.example');
      expect(run.code).toBe(1);
      expect(lines(run.stderr)).toEqual([
        expect.stringMatching(/^error: the database has \d+ pending migration\(s\); run the migrate command first$/),
      ]);
    } finally {
      await pg.drop();
    }
  });

  it('backup says to use pg_dump and pg_restore and exits 1, writing no file', async () => {
    const target = path.join(tmpDir(), 'copy.dump');
    const run = await cli(`postgres://postgres@127.0.0.1:1/none`, 'backup', target);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(lines(run.stderr)).toEqual([`error: ${PG_BACKUP_HINT}`]);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('an unreachable server is one line naming neither the URL nor its password', async () => {
    const url = 'postgres://admin:Pa55-word-x@127.0.0.1:1/ftop';
    const run = await cli(url, 'orgs', 'add', '--name', 'X', '--domain', 'x.example');
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(/^error: PostgreSQL \(DATABASE_URL\) cannot be reached: connect ECONNREFUSED/),
    ]);
    expect(run.stderr).not.toContain('Pa55-word-x');
  });
});

import type { Knex } from 'knex';
import { kindOf, type Db } from '../../src/db/db';
import { withNotesIndexedAtEnd } from '../../src/db/notes-fts';
import { accessScope } from '../../src/auth/scope';
import { findSignInUser } from '../../src/auth/users.repo';
import { notesSearchIndex } from '../../src/features/notes/notes-search.index';
import { parseSearchQuery, searchNotes } from '../../src/features/notes/notes-search.service';
import { createTestDb, onPostgres } from '../helpers/db';

const ON_PG = onPostgres();
import { assign, createOrg, createTenant, createUser, type OrgRef, type TenantRef } from '../helpers/factories';

/**
 * Search finds a note the moment its tenant becomes visible, and stops at once when it is not: on SQLite
 * the index holds each note's scope words, re-indexed by triggers on assignments
 * (migrations/sqlite-search-scope.ts); on PostgreSQL search reads the scope first. Either way the result
 * is the visibility rule's (src/auth/scope.ts).
 */
describe('notes search follows assignments', () => {
  let db: Db;
  let orgA: OrgRef, orgB: OrgRef;
  let avaId: number, beaId: number;
  let x: TenantRef, y: TenantRef;
  let seq = 0;

  /** A note on `tenant`, written through `conn` (a bulk load's transaction, or the database). */
  const note = async (tenant: TenantRef, body: string, conn: Db | Knex.Transaction = db) =>
    conn('notes').insert({
      tenant_id: tenant.id,
      category: 'Engagement Management',
      body_html: `<p>${body}</p>`,
      body_text: body,
      source_context: 'notes_editor',
      created_at: new Date(Date.UTC(2026, 10, 1, 0, 0, ++seq)).toISOString(),
      search_tenant: tenant.name,
      search_services: '',
    });

  /** Tenant names of the notes `userId` finds for `q`. */
  const found = async (userId: number, q: string) => {
    const user = await findSignInUser(db, { id: userId });
    const view = await searchNotes(notesSearchIndex(db), accessScope(user!), parseSearchQuery({ q, sort: 'tenant' }));
    return view.hits.map((h) => h.tenantName);
  };

  /** SQLite: the index agrees with its content, scope words included (FTS5 integrity-check with rank 1). */
  const indexIsSound = async () => {
    if (kindOf(db) !== 'sqlite') return;
    await db.raw("INSERT INTO notes_fts(notes_fts, rank) VALUES ('integrity-check', 1)");
    expect(await db('notes_fts_bulk').count({ n: '*' }).first()).toEqual({ n: 0 });
  };

  beforeAll(async () => {
    ({ db } = await createTestDb());
    orgA = await createOrg(db, { name: 'Northwind Partners' });
    orgB = await createOrg(db, { name: 'Fabrikam Consulting' });
    avaId = (await createUser(db, { org: orgA })).id;
    beaId = (await createUser(db, { org: orgB })).id;
    x = await createTenant(db, { name: 'xenon.onmicrosoft.com' });
    y = await createTenant(db, { name: 'yarrow.onmicrosoft.com' });
    await assign(db, { tenant: x, userId: orgB.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(db, { tenant: y, userId: orgA.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await note(x, 'Zanzibar rollout planned');
    await note(y, 'Zanzibar pilot finished');
  });
  afterAll(() => db.destroy());

  it('shows each org its own tenants’ notes', async () => {
    expect(await found(avaId, 'zanzibar')).toEqual(['yarrow.onmicrosoft.com']);
    expect(await found(beaId, 'zanzibar')).toEqual(['xenon.onmicrosoft.com']);
    await indexIsSound();
  });

  it('finds another org’s tenant’s notes while the user holds an assignment on it, and not after', async () => {
    const id = await assign(db, { tenant: x, userId: avaId, type: 'P-FE' });
    expect(await found(avaId, 'zanzibar')).toEqual(['xenon.onmicrosoft.com', 'yarrow.onmicrosoft.com']);
    await indexIsSound();
    await db('assignment_scopes').where({ assignment_id: id }).delete();
    await db('assignments').where({ id }).delete();
    expect(await found(avaId, 'zanzibar')).toEqual(['yarrow.onmicrosoft.com']);
    await indexIsSound();
  });

  it('moves a tenant’s notes with its P-RM to the other org', async () => {
    await db('assignments')
      .where({ tenant_id: x.id, type: 'P-RM' })
      .update({ org_id: orgA.id, assignee_user_id: orgA.queueUserId });
    expect(await found(avaId, 'zanzibar')).toEqual(['xenon.onmicrosoft.com', 'yarrow.onmicrosoft.com']);
    expect(await found(beaId, 'zanzibar')).toEqual([]);
    await indexIsSound();
  });

  it('indexes a bulk load’s notes at its end with the scope its assignments give, and re-indexes older notes', async () => {
    const z = await createTenant(db, { name: 'zinnia.onmicrosoft.com' });
    await note(z, 'Zanzibar kickoff held');
    await db.transaction((trx) =>
      withNotesIndexedAtEnd(trx, {}, async () => {
        // A note written before its tenant's P-RM (not indexed until the end), and the P-RM that makes an
        // older note of the same tenant (indexed already) visible to org B.
        await note(z, 'Zanzibar wave two', trx);
        await assign(trx as unknown as Db, { tenant: z, userId: orgB.queueUserId, type: 'P-RM', primary: ['TENANT'] });
      }),
    );
    expect(await found(beaId, 'zanzibar')).toEqual(['zinnia.onmicrosoft.com', 'zinnia.onmicrosoft.com']);
    await indexIsSound();
  });

  /** SQLite: the assignment triggers of the search scope that are in the schema (PostgreSQL has none). */
  const scopeTriggers = async () => {
    const sql =
      "SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'assignments_search_scope_%'";
    return ((await db.raw(sql)) as { n: number }[])[0].n;
  };

  it('brings every tenant’s scope up to date at the end of a large bulk load (decision 113), triggers restored', async () => {
    const v = await createTenant(db, { name: 'violet.onmicrosoft.com' });
    // A large load (as many notes expected as stored) sets the assignment triggers aside.
    await db.transaction((trx) =>
      withNotesIndexedAtEnd(trx, { expectedNotes: 1_000_000 }, async () => {
        // Yarrow's P-RM moves from org A to org B: its older notes follow.
        await trx('assignments')
          .where({ tenant_id: y.id, type: 'P-RM' })
          .update({ org_id: orgB.id, assignee_user_id: orgB.queueUserId });
        // A new tenant with a note and a P-RM of org A.
        await note(v, 'Zanzibar violet', trx);
        await assign(trx as unknown as Db, { tenant: v, userId: orgA.queueUserId, type: 'P-RM', primary: ['TENANT'] });
      }),
    );
    expect(await found(avaId, 'zanzibar')).toEqual(['violet.onmicrosoft.com', 'xenon.onmicrosoft.com']);
    expect(await found(beaId, 'zanzibar')).toEqual([
      'yarrow.onmicrosoft.com',
      'zinnia.onmicrosoft.com',
      'zinnia.onmicrosoft.com',
    ]);
    await indexIsSound();
    // The triggers are back (SQLite): an assignment written after the load re-indexes at once.
    if (!ON_PG) expect(await scopeTriggers()).toBe(3);
    const id = await assign(db, { tenant: y, userId: avaId, type: 'P-FE' });
    expect(await found(avaId, 'zanzibar')).toEqual([
      'violet.onmicrosoft.com',
      'xenon.onmicrosoft.com',
      'yarrow.onmicrosoft.com',
    ]);
    await db('assignment_scopes').where({ assignment_id: id }).delete();
    await db('assignments').where({ id }).delete();
    await indexIsSound();
  });

  // SQLite only: PostgreSQL indexes each note as it is written and has no triggers to set aside.
  (ON_PG ? it.skip : it)('keeps the assignment triggers when a large bulk load fails', async () => {
    await expect(
      db.transaction((trx) =>
        withNotesIndexedAtEnd(trx, { expectedNotes: 1_000_000 }, async () => {
          throw new Error('file refused');
        }),
      ),
    ).rejects.toThrow('file refused');
    expect(await scopeTriggers()).toBe(3);
    await indexIsSound();
  });

  // SQLite only (PostgreSQL's search has no scope words to get wrong).
  (ON_PG ? it.skip : it)(
    'shows no note whose index entry carries a wrong scope word: the visibility rule decides',
    async () => {
      const w = await createTenant(db, { name: 'wombat.onmicrosoft.com' });
      await assign(db, { tenant: w, userId: orgB.queueUserId, type: 'P-RM', primary: ['TENANT'] });
      await note(w, 'Quokka secret plan');
      const { id } = (await db('notes').where({ tenant_id: w.id }).first('id')) as { id: number };
      const entry = (scope: string) => [id, 'Quokka secret plan', null, w.name, '', scope];
      const columns = 'rowid, body_text, next_action, search_tenant, search_services, scope';
      const reindex = async (from: string, to: string) => {
        await db.raw(`INSERT INTO notes_fts(notes_fts, ${columns}) VALUES ('delete', ?, ?, ?, ?, ?, ?)`, entry(from));
        await db.raw(`INSERT INTO notes_fts(${columns}) VALUES (?, ?, ?, ?, ?, ?)`, entry(to));
      };
      const { tokens } = (await db('tenant_search_scope').where({ tenant_id: w.id }).first('tokens')) as {
        tokens: string;
      };
      // The note re-indexed as if org A (Ava's) held its tenant.
      await reindex(tokens, `o${orgA.id}`);
      expect(await found(avaId, 'quokka')).toEqual([]);
      await reindex(`o${orgA.id}`, tokens);
      expect(await found(beaId, 'quokka')).toEqual(['wombat.onmicrosoft.com']);
      await indexIsSound();
    },
  );
});

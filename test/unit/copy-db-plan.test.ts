import { planCopy } from '../../src/features/admin/copy-db.service';
import type { ForeignKey, TableInfo } from '../../src/features/admin/copy-db.repo';

/** copy-db's table order (src/features/admin/copy-db.service.ts): parents first, cycles broken once. */
describe('planCopy', () => {
  const table = (name: string): TableInfo => ({ name, columns: ['id'], types: { id: 'integer' }, primaryKey: ['id'] });
  const fk = (t: string, column: string, references: string): ForeignKey => ({ table: t, column, references });

  it('puts every table after the tables it references', () => {
    const plan = planCopy(['notes', 'tenants', 'note_services', 'services'].map(table), [
      fk('notes', 'tenant_id', 'tenants'),
      fk('note_services', 'note_id', 'notes'),
      fk('note_services', 'code', 'services'),
    ]);
    expect(plan.order.map((t) => t.name)).toEqual(['services', 'tenants', 'notes', 'note_services']);
    expect(plan.deferred.size).toBe(0);
  });

  it('breaks the partner_orgs ↔ users cycle at its first table and defers self references', () => {
    const plan = planCopy(['users', 'partner_orgs', 'tenants', 'partner_domains'].map(table), [
      fk('partner_orgs', 'created_by', 'users'),
      fk('partner_orgs', 'updated_by', 'users'),
      fk('users', 'org_id', 'partner_orgs'),
      fk('users', 'created_by', 'users'),
      fk('tenants', 'created_by', 'users'),
      fk('partner_domains', 'org_id', 'partner_orgs'),
    ]);
    expect(plan.order.map((t) => t.name)).toEqual(['partner_orgs', 'partner_domains', 'users', 'tenants']);
    expect(Object.fromEntries(plan.deferred)).toEqual({
      users: ['created_by'],
      partner_orgs: ['created_by', 'updated_by'],
    });
  });

  it('ignores references to tables that are not copied', () => {
    const plan = planCopy([table('tenants')], [fk('tenants', 'created_by', 'users')]);
    expect(plan.order.map((t) => t.name)).toEqual(['tenants']);
  });
});

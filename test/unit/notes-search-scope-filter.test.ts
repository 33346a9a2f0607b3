import { scopeFilter } from '../../src/features/notes/notes-search.fts5';
import type { AccessScope } from '../../src/auth/scope';

/**
 * The FTS5 scope filter names the same grants as whereTenantVisible (src/auth/scope.ts), in the words the
 * index holds (migrations/sqlite-search-scope.ts): a partner's org P-RMs and own assignments, an internal
 * user's managed orgs, everything for an admin, nothing for a partner without an org.
 */
describe('scopeFilter', () => {
  const scope = (over: Partial<AccessScope>): AccessScope => ({
    userId: 7,
    kind: 'partner',
    orgId: 3,
    managedOrgIds: [],
    isPartnerAdmin: false,
    ...over,
  });

  it('matches a partner’s org and the partner’s own assignments', () => {
    expect(scopeFilter(scope({}))).toBe('scope:(o3 OR u7)');
  });
  it('matches an internal user’s managed orgs, and nothing when there are none', () => {
    expect(scopeFilter(scope({ kind: 'internal', orgId: null, managedOrgIds: [3, 9] }))).toBe('scope:(o3 OR o9)');
    expect(scopeFilter(scope({ kind: 'internal', orgId: null }))).toBe('');
  });
  it('does not filter an admin, and lets a partner without an org see nothing', () => {
    expect(scopeFilter(scope({ kind: 'admin', orgId: null }))).toBeNull();
    expect(scopeFilter(scope({ orgId: null }))).toBe('');
  });
});

import { queryHref } from '../../http/view-helpers';
import type { ListQuery } from './tenants.schemas';

/** URL of the FRP view for the current query with some parameters changed (tabs, sort headers, pages). */
export function listHref(query: ListQuery, overrides: Partial<ListQuery> = {}, path = '/tenants'): string {
  const q = { ...query, ...overrides };
  const defaultSort = q.tab === 'partner' ? 'priority' : 'name';
  return queryHref(path, {
    tab: q.tab === 'my-active' ? undefined : q.tab,
    q: q.q,
    sort: q.sort === defaultSort ? undefined : q.sort,
    dir: q.dir === 'asc' ? undefined : q.dir,
    page: q.page === 1 ? undefined : q.page,
    pageSize: q.pageSize === 25 ? undefined : q.pageSize,
    activity: q.tab === 'partner' && q.activity !== 'all' ? q.activity : undefined,
  });
}

/** Sort header link: clicking the active column reverses its direction. */
export function sortHref(query: ListQuery, sort: ListQuery['sort']): string {
  const dir = query.sort === sort && query.dir === 'asc' ? 'desc' : 'asc';
  return listHref(query, { sort, dir, page: 1 });
}

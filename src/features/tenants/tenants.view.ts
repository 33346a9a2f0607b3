import { queryHref } from '../../http/view-helpers';
import type { ListQuery, Tab } from './tenants.schemas';

export interface ListLinks {
  /** URL of the FRP view for the current query with some parameters changed (tabs, sort headers, pages). */
  listHref(query: ListQuery, overrides?: Partial<ListQuery>, path?: string): string;
  /** Sort header link: clicking the active column reverses its direction. */
  sortHref(query: ListQuery, sort: ListQuery['sort']): string;
}

/**
 * The list's links for a user whose landing tab is `defaultTab`: parameters equal to their default are
 * left out, so the tab is named in the URL only when it differs from where the user lands.
 */
export function listLinks(defaultTab: Tab = 'my-active'): ListLinks {
  const listHref: ListLinks['listHref'] = (query, overrides = {}, path = '/tenants') => {
    const q = { ...query, ...overrides };
    const defaultSort = q.tab === 'partner' ? 'priority' : 'name';
    return queryHref(path, {
      tab: q.tab === defaultTab ? undefined : q.tab,
      q: q.q,
      sort: q.sort === defaultSort ? undefined : q.sort,
      dir: q.dir === 'asc' ? undefined : q.dir,
      page: q.page === 1 ? undefined : q.page,
      pageSize: q.pageSize === 25 ? undefined : q.pageSize,
      activity: q.tab === 'partner' && q.activity !== 'all' ? q.activity : undefined,
    });
  };
  const sortHref: ListLinks['sortHref'] = (query, sort) => {
    const dir = query.sort === sort && query.dir === 'asc' ? 'desc' : 'asc';
    return listHref(query, { sort, dir, page: 1 });
  };
  return { listHref, sortHref };
}

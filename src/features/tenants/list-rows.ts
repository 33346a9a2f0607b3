import type { Response } from 'express';
import type { SessionUser } from '../../auth/users.repo';
import { renderView } from '../../http/render';
import type { TenantListRow } from './tenants.repo';
import type { Tab } from './tenants.schemas';

/**
 * The tenant table's rows (views/tenants/_row.ejs), each rendered once for each row object and viewer
 * variant (decision 143). A row's HTML depends on the row alone (its roles among its fields) and on
 * three facts of the viewer: the Partner tab's Priority column, whether they manage every tenant's
 * assignments, whether they are an internal user. The list kept in memory hands out the same row object
 * while its entry and the user's roles are the same (list-index.ts `listRow`); a save replaces the entry,
 * so its row is rendered afresh. Rows read through SQL are new objects and simply miss.
 *
 * At most `RENDERED_CAP` rows are kept (about 1.7 KB each, 2.5 KB with what the row object holds); past
 * it the memo starts over.
 */
const RENDERED_CAP = 10_000;
let rendered = new WeakMap<TenantListRow, { variant: string; html: string }>();
let count = 0;

/** The function views/tenants/_table.ejs calls for each row, for this viewer and tab. */
export function rowRenderer(res: Response, user: SessionUser, tab: Tab): (row: TenantListRow) => string {
  const locals = {
    partnerTab: tab === 'partner',
    manageAll: user.kind === 'admin' || (user.kind === 'partner' && user.isPartnerAdmin),
    internal: user.kind === 'internal',
  };
  const variant = `${+locals.partnerTab}${+locals.manageAll}${+locals.internal}`;
  return (row) => {
    const kept = rendered.get(row);
    if (kept?.variant === variant) return kept.html;
    const html = renderView(res, 'tenants/_row', { ...locals, r: row });
    // EJS builds the row by appending, which V8 keeps as a tree of the pieces; reading a character copies
    // them into one string in place, so a page joins its rows' strings instead of walking every row's
    // pieces again (measured: the rows kept as pieces saved nothing).
    html.charCodeAt(0);
    if (++count > RENDERED_CAP) {
      rendered = new WeakMap();
      count = 1;
    }
    rendered.set(row, { variant, html });
    return html;
  };
}

import type { Response } from 'express';
import type { SessionUser } from '../../auth/users.repo';
import { holdApart, renderView } from '../../http/render';
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

/**
 * The function views/tenants/_table.ejs calls with the page's rows, for this viewer and tab: their HTML
 * is held apart from the page string and copied into the response as it is (holdApart; 100 rows are
 * about 170 KB, which as one string would cost V8 a large-object allocation per request).
 */
export function rowsRenderer(res: Response, user: SessionUser, tab: Tab): (rows: TenantListRow[]) => string {
  const locals = {
    partnerTab: tab === 'partner',
    manageAll: user.kind === 'admin' || (user.kind === 'partner' && user.isPartnerAdmin),
    internal: user.kind === 'internal',
  };
  const variant = `${+locals.partnerTab}${+locals.manageAll}${+locals.internal}`;
  const rowHtml = (row: TenantListRow): string => {
    const kept = rendered.get(row);
    if (kept?.variant === variant) return kept.html;
    const html = renderView(res, 'tenants/_row', { ...locals, r: row });
    // EJS builds the row by appending, which V8 keeps as a tree of the pieces; reading a character copies
    // them into one string in place, so each showing copies one string instead of walking the pieces.
    html.charCodeAt(0);
    if (++count > RENDERED_CAP) {
      rendered = new WeakMap();
      count = 1;
    }
    rendered.set(row, { variant, html });
    return html;
  };
  return (rows) => holdApart(res, rows.map(rowHtml));
}

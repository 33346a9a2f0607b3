/**
 * Which of the app's stylesheets and scripts a page loads (issue 14 item 6, docs/decisions.md 114).
 *
 * Every page has the shell's own: app.css, htmx and app.js. The Assigned Tenant List (`/tenants`), the page
 * everybody opens first and most often, loads nothing more: the dialogs that open from it (Edit Tenant with
 * its tabs, Edit Assignments) carry the list of what they need in `data-css` / `data-js`, and app.js adds the
 * missing ones once, before it shows the dialog. Every other page links what it needs in its head.
 */

export interface AssetList {
  css: string[];
  js: string[];
}

const HTMX = '/vendor/htmx.min.js';
const QUILL = { css: '/vendor/quill.snow.css', js: '/vendor/quill.js' };
const css = (name: string) => `/static/css/${name}.css`;
const js = (name: string) => `/static/js/${name}.js`;

/** The shell: the top bar, the menu, tables, chips, panes, the dialog frame, and htmx. */
const SHELL: AssetList = { css: [css('app')], js: [HTMX, js('app')] };

/**
 * Editing a tenant: the Edit Tenant dialog and page (save outcomes, the status grid, forecast, contacts, the
 * rich-text Engagement Management note), Edit Assignments, and the detailed tenant view. notes.css holds
 * the rich-text body's look; rich-text.js loads Quill itself on first use.
 */
const TENANT: AssetList = {
  css: ['forms', 'grid', 'tenant-view', 'assignments', 'notes'].map(css),
  js: ['forms', 'grid', 'tenant-view', 'assignments', 'rich-text'].map(js),
};

/** The Notes Library's own scripts (type-ahead, editor, autosave, leave dialog). */
const NOTES_JS = ['combobox', 'notes', 'notes-leave'].map(js);

/** The FRP list itself: its rows, tabs, paging and the Tenant Entitlements pane need only the shell. */
const isTenantList = (path: string) => path === '/tenants' || path === '/tenants/';

/**
 * The stylesheets and scripts linked in a page's head, in order. `richText` pages (the Notes Editor) link
 * Quill up front instead of loading it on first use.
 */
export function pageAssets(path: string, richText = false): AssetList {
  if (isTenantList(path)) return SHELL;
  const scripts = [...SHELL.js, ...TENANT.js];
  if (richText) scripts.splice(scripts.indexOf(js('rich-text')), 0, QUILL.js);
  if (path.startsWith('/notes')) scripts.push(...NOTES_JS);
  return { css: [...SHELL.css, ...TENANT.css, ...(richText ? [QUILL.css] : [])], js: scripts };
}

/**
 * The attributes a dialog fragment carries so that app.js loads what its content needs when it opens on a
 * page that did not link it (the FRP list); on other pages everything is there already and nothing loads.
 */
export function dialogAssetAttributes(): string {
  return `data-css="${TENANT.css.join(' ')}" data-js="${TENANT.js.join(' ')}"`;
}

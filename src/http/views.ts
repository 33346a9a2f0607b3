import fs from 'node:fs';
import path from 'node:path';
import type { Application } from 'express';
import ejs from 'ejs';
import { escapeHtml, asciiTemplate } from './one-byte';

// JavaScript's reserved words and literals: never a local's name.
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally ' +
    'for function if import in instanceof new null return super switch this throw true try typeof var void ' +
    'while with yield let static implements interface package private protected public await async of ' +
    'arguments eval'
  ).split(' '),
);
// What EJS's compiled function itself declares (its parameters and output).
const EJS_NAMES = new Set(['locals', 'escapeFn', 'include', 'rethrow', '__append', '__output', '__line', '__lines']);
// Scriptlets (`<% %>`, `<%= %>`, `<%- %>`, `<%_ %>`), not comments (`<%#`) or a literal `<%%`.
const SCRIPTLET = /<%(?![%#])[-=_]?([\s\S]*?)[-_]?%>/g;
const IDENTIFIER = /(?<![\w$])[A-Za-z_$][\w$]*/g;

/**
 * Every name a template's code reads that may be one of its locals: each identifier in its scriptlets
 * that is not a property (`a.b`; a spread `...b` counts), a reserved word, EJS's own or a global
 * (`JSON`, `String`). Words inside strings come along too; their locals are simply undefined.
 */
export function templateLocals(template: string): string[] {
  const names = new Set<string>();
  for (const [, code] of template.matchAll(SCRIPTLET)) {
    for (const match of code.matchAll(IDENTIFIER)) {
      const name = match[0];
      const before = code.slice(Math.max(0, match.index - 3), match.index);
      if (before.endsWith('.') && before !== '...') continue;
      if (RESERVED.has(name) || EJS_NAMES.has(name) || name in globalThis) continue;
      names.add(name);
    }
  }
  return [...names].sort();
}

/**
 * A template as EJS compiles it here: its locals read once into variables at the top (`_with: false`),
 * the template itself in a block below them, so that a `const` of its own may reuse a local's name.
 * EJS's default wraps the whole template in `with (locals)`, where V8 looks every name up at run time
 * (the output buffer and escape function included): a 100-row table rendered in 169 µs that way and in
 * 65 µs with its locals declared (docs/decisions.md 129).
 */
export function withLocalsDeclared(template: string): string {
  const names = templateLocals(template);
  const head = names.length ? `var { ${names.join(', ')} } = locals; ` : '';
  // On the template's first line and its last, so that EJS's line numbers in errors stay right.
  return `<% ${head}{ %>${template}<% } %>`;
}

/**
 * EJS for every view and partial, with these options:
 * - templates compiled once per process, kept by renderTemplate (edit a view, restart the server);
 * - `_with: false` and the file loader: each template's locals as plain variables (withLocalsDeclared);
 * - the escape function and the file loader: pages as ASCII, one-byte strings (src/http/one-byte.ts);
 * - `rmWhitespace`: the indentation and blank lines of the templates stay out of the pages. No template
 *   has text whose spacing matters across lines (textareas and inline text are written on one line);
 *   newlines stay, so words on separate lines still read as separate words. On the Partner List it took
 *   25 rows from 66.4 KB to 59.6 KB;
 * - no `root`, `views` or `cache`: partials go through renderTemplate's own include (withOwnInclude),
 *   which finds `include('/folder/_partial')` in the views folder without asking the file system, and
 *   EJS's include, its lookup and its cache are never used;
 * - `unsafePrototypeLocals`: EJS takes the locals object renderTemplate builds as it is instead of
 *   copying it once more into an object without a prototype (which V8 keeps as a slower dictionary).
 *   No template reads a local named like a member of Object.prototype (test/unit/views-compile.test.ts).
 */
/** Per app: its views folder, the EJS options above, and each template function once compiled, by file. */
interface Views {
  dir: string;
  options: ejs.Options;
  templates: Map<string, ejs.TemplateFunction>;
}
const apps = new WeakMap<Application, Views>();

/** Views are EJS files under `viewsDir`, rendered by renderTemplate. */
export function useViews(app: Application, viewsDir: string): void {
  ejs.fileLoader = (file: string) => withOwnInclude(withLocalsDeclared(asciiTemplate(fs.readFileSync(file, 'utf8'))));
  const options = { _with: false, escape: escapeHtml, rmWhitespace: true, unsafePrototypeLocals: true } as ejs.Options;
  apps.set(app, { dir: viewsDir, options, templates: new Map() });
}

// The local through which a template's `include` reaches renderTemplate's (withOwnInclude).
const INCLUDE = '__include';

/**
 * A template whose partials are rendered by renderTemplate's `include` instead of EJS's. EJS's copies
 * every local of the page into a new object without a prototype for each partial (which V8 keeps as a
 * dictionary, and the partial then reads its locals from that), and copies its own options the same way
 * to look the partial up: 70–100 µs of a tenant page or a service tab, which include 20–40 partials
 * (docs/decisions.md 146). Here a partial's locals are the including template's spread into a plain
 * object with the partial's own over them. Every include names its partial from the views folder
 * (`/folder/_name`).
 */
export function withOwnInclude(template: string): string {
  if (!/\binclude\s*\(/.test(template)) return template;
  // On the template's first line, so that EJS's line numbers in errors stay right.
  return `<% var include = (view, data) => locals.${INCLUDE}(view, data, locals); %>${template}`;
}

function compiled(views: Views, file: string): ejs.TemplateFunction {
  let template = views.templates.get(file);
  if (!template) {
    template = ejs.compile(ejs.fileLoader(file).toString(), {
      ...views.options,
      filename: file,
    }) as ejs.TemplateFunction;
    views.templates.set(file, template);
  }
  return template;
}

/**
 * A view (`folder/name`, or an absolute path to an .ejs file) rendered with the app's locals, then
 * `locals` over them, as one string. The template function is looked up by file; Express's
 * `res.render` (its options merge, view lookup, EJS's `renderFile` copying the data again and the
 * callbacks) cost more than the smallest signed-in page's template itself (docs/decisions.md 132).
 *
 * The locals are spread into object literals, never copied with Object.assign: V8 turns an object that
 * gets more than about a dozen properties one by one into a dictionary, and a page has about 45 locals,
 * so every partial's copy was a dictionary built key by key (5–8 µs each); spread into a literal, the
 * copy of a fast object keeps its layout (docs/decisions.md 148).
 */
export function renderTemplate(app: Application, view: string, ...locals: object[]): string {
  const views = apps.get(app);
  if (!views) throw new Error('useViews(app, …) was not called');
  const file = path.isAbsolute(view) ? view : path.join(views.dir, `${view}.ejs`);
  const include = (partial: string, data: object | undefined, parent: object): string =>
    compiled(views, path.join(views.dir, `${partial}.ejs`))({ ...parent, ...data });
  let all: object = { [INCLUDE]: include, ...app.locals };
  for (const more of locals) all = { ...all, ...more };
  return compiled(views, file)(all);
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import express from 'express';
import { renderTemplate, useViews } from '../../src/http/views';

/**
 * Every EJS include names its partial from the views folder (`include('/folder/_partial')`,
 * src/http/views.ts): renderTemplate's own include (decision 146) looks every path up there, and EJS's
 * asked the file system for a relative one on every render (5.8% of a tenant page's CPU).
 */
function templates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    return e.isDirectory() ? templates(file) : file.endsWith('.ejs') ? [file] : [];
  });
}

describe('views', () => {
  it('include partials by their path from the views folder', () => {
    const root = path.join(__dirname, '..', '..');
    const files = [...templates(path.join(root, 'views')), ...templates(path.join(root, 'bench'))];
    expect(files.length).toBeGreaterThan(50);
    const relative = files.flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/include\(([^,)]*)/g)]
        // The first argument: a path literal, or an expression whose path literals (those naming a folder
        // or a partial) all start at the root. One with no path literal at all cannot be checked: reported.
        .filter((m) => {
          const paths = [...m[1].matchAll(/'([^']*)'/g)].map((l) => l[1]).filter((l) => /[/_]/.test(l));
          return paths.length === 0 || paths.some((l) => !l.startsWith('/'));
        })
        .map((m) => `${path.relative(root, file)}: include(${m[1]}`),
    );
    expect(relative).toEqual([]);
  });
});

/**
 * Partials through renderTemplate's own `include` (withOwnInclude in src/http/views.ts, decision 146):
 * a partial reads the including template's locals and its own over them, nested partials likewise,
 * nothing flows back up, and its locals are a plain object (EJS's include copied them into an object
 * without a prototype, which V8 keeps as a dictionary).
 */
describe('include in views rendered by renderTemplate', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ftop-views-'));
  const app = express();
  const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, `${name}.ejs`), text);

  beforeAll(() => {
    useViews(app, dir);
    write('page', `<%= a %>|<%- include('/_p', { b: 2 }) %>|<%= typeof b === 'undefined' ? 'none' : b %>`);
    write('_p', `<%= a %>,<%= b %>,<%- include('/_q') %>,<%- include('/_q', { a: 'x' }) %>`);
    write('_q', `<%= b %>-<%= a %>`);
    write('override', `<%- include('/_p', { a: 5, b: 'y' }) %>`);
    write('proto', `<%- include('/_proto') %>`);
    write('_proto', `<%= Object.getPrototypeOf(locals) === Object.prototype ? 'plain' : 'other' %>`);
    write('fast', `<%= fast(locals) %>,<%- include('/_fast', { b: 2 }) %>`);
    write('_fast', `<%= fast(locals) %>,<%- include('/_fast2') %>`);
    write('_fast2', `<%= fast(locals) %>`);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives a partial the page’s locals with its own over them, nested partials too, and nothing back', () => {
    expect(renderTemplate(app, 'page', { a: 1 })).toBe('1|1,2,2-1,2-x|none');
  });

  it('lets a partial’s own locals hide the page’s of the same name', () => {
    expect(renderTemplate(app, 'override', { a: 1 })).toBe('5,y,y-5,y-x');
  });

  it('hands a partial its locals as a plain object, not as EJS’s copy without a prototype', () => {
    expect(renderTemplate(app, 'proto', {})).toBe('plain');
  });

  // 45 locals, as many as the app's, the response's and a view's together: copied one by one
  // (Object.assign) past a dozen V8 turns the object into a dictionary, 5–8 µs a partial to build and
  // slower to read; spread into a literal it keeps the layout of the object it copies.
  it('keeps the locals of a page and of its partials in V8’s fast form, however many', () => {
    v8.setFlagsFromString('--allow-natives-syntax');
    const fast = new Function('o', 'return %HasFastProperties(o)');
    v8.setFlagsFromString('--no-allow-natives-syntax');
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`app${i}`, i]));
    const view = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`view${i}`, i]));
    expect(renderTemplate(app, 'fast', many, { ...view, fast })).toBe('true,true,true');
  });
});

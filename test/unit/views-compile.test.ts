import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { parse } from 'node-html-parser';
import { escapeHtml, asciiHtml, asciiTemplate } from '../../src/http/one-byte';
import { templateLocals, withLocalsDeclared } from '../../src/http/views';

/** How src/http/views.ts compiles a template: `_with: false`, its locals declared by withLocalsDeclared. */
const render = (template: string, data: Record<string, unknown>) =>
  ejs.render(withLocalsDeclared(asciiTemplate(template)), data, { _with: false, escape: escapeHtml });

describe('templateLocals: the names a template may read from its locals', () => {
  it('takes the names its code reads, not properties, reserved words, EJS’s own or globals (words in strings too)', () => {
    const names = templateLocals(
      '<%# locals: view — not code %><% const q = view.query; for (const r of view.rows) { %><%= fmt.int(r.n) %><%- JSON.stringify(q) %><% } %><%- include("/x", { ...extra, user }) %>',
    );
    expect(names).toEqual(['extra', 'fmt', 'q', 'r', 'user', 'view', 'x']);
  });

  it('a spread counts, a property after `?.` does not', () => {
    expect(templateLocals('<%= a?.b %><% const c = { ...d }; %>')).toEqual(['a', 'c', 'd']);
  });
});

describe('withLocalsDeclared: templates render as under `with (locals)`', () => {
  it('reads its locals as variables, and a missing one is undefined rather than an error', () => {
    expect(render('<%= a %>-<%= typeof b %>-<%= locals.a %>', { a: 'x' })).toBe('x-undefined-x');
  });

  it('lets the template declare a constant with a local’s name', () => {
    expect(render('<% const q = view.n + 1; %><%= q %>', { view: { n: 1 }, q: 'a local' })).toBe('2');
  });

  it('a function declared in the template can be called before and after its text', () => {
    expect(render('<%= twice(2) %><% function twice(n) { return n * 2; } %><%= twice(k) %>', { k: 3 })).toBe('46');
  });

  it('leaves line numbers alone: an error names the template’s own line', () => {
    expect(() => render('one\ntwo\n<%= missing.property %>', {})).toThrow(/>> 3\|/);
  });
});

describe('ASCII pages (src/http/one-byte.ts)', () => {
  const samples = [
    'plain',
    'Tom & Jerry\'s "<b>"',
    'Zürich ß ÿ',
    'em — dash',
    '東京',
    'smile 😀',
    'lone \ud800 half',
    '',
  ];

  it('escapes the five HTML characters as EJS does, and nothing else within ASCII', () => {
    for (const s of ['plain', 'Tom & Jerry\'s "<b>"', '~ \x7f', 42, -1.5e-7, NaN, -Infinity, null, undefined])
      expect(escapeHtml(s)).toBe(ejs.escapeXML(s));
    // Latin-1 above ASCII is a reference too: the page stays its own UTF-8.
    expect(escapeHtml('Zürich ß ÿ \u00ad')).toBe('Z&#252;rich &#223; &#255; &#173;');
  });

  it('writes every character above ASCII as a reference the browser reads back as the same text', () => {
    for (const s of samples) {
      const out = escapeHtml(s);
      expect(out).not.toMatch(/[^\0-\x7f]/u);
      expect(parse(`<p>${out}</p>`).querySelector('p')?.text).toBe(s.replace('\ud800', '\ufffd'));
      expect(parse(`<p title="${out}"></p>`).querySelector('p')?.getAttribute('title')).toBe(
        s.replace('\ud800', '\ufffd'),
      );
    }
    expect(escapeHtml('😀')).toBe('&#128512;'); // one reference for the pair, not two for its halves
    // A short value's escape is kept: the second time gives the same text.
    for (let i = 0; i < 2; i++) expect([escapeHtml('—'), escapeHtml('a & b')]).toEqual(['&#8212;', 'a &amp; b']);
    expect(asciiHtml('<p>— “x” é</p>')).toBe('<p>&#8212; &#8220;x&#8221; &#233;</p>');
  });

  it('a template’s own characters above ASCII: references in its text, `\\u` escapes in its code', () => {
    expect(asciiTemplate('a — é <%= "—é" %> b <%# — %>')).toBe(
      'a &#8212; &#233; <%= "\\u2014\\u00e9" %> b <%# \\u2014 %>',
    );
    expect(render('a — <%= "▲" + `😀` %> <%- /[—]/.test("—") %>', {})).toBe('a &#8212; &#9650;&#128512; true');
  });
});

describe('every view as src/http/views.ts compiles it', () => {
  const views = path.join(__dirname, '../../views');
  const files = fs.readdirSync(views, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ejs'));

  it.each(files)('%s: no character above ASCII left, and it compiles', (file) => {
    const source = withLocalsDeclared(asciiTemplate(fs.readFileSync(path.join(views, file), 'utf8')));
    expect(source).not.toMatch(/[^\0-\x7f]/u);
    expect(() => ejs.compile(source, { _with: false, rmWhitespace: true, escape: escapeHtml })).not.toThrow();
  });

  // renderTemplate hands a template an ordinary object: a local named like one of Object.prototype's
  // members would read that member instead of undefined when the route does not pass it.
  it.each(files)('%s: no local named like a member of every object', (file) => {
    const inherited = Object.getOwnPropertyNames(Object.prototype);
    expect(
      templateLocals(fs.readFileSync(path.join(views, file), 'utf8')).filter((n) => inherited.includes(n)),
    ).toEqual([]);
  });
});

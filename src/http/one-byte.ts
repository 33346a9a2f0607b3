/**
 * Pages as ASCII. V8 stores a string with one byte per character while every character in it is Latin-1
 * (U+0000–U+00FF). A single character above that (an em dash in a template, a curly quote in a tenant's
 * name) makes the whole page a two-byte string, and joining and encoding it for the response then costs
 * several times as much: 550–765 µs instead of 120–320 for a Partner List page of 50–95 KB
 * (docs/performance.md, ninth session). And a page of ASCII alone is its own UTF-8: it is sent as a copy
 * of its bytes instead of being encoded character by character (sendHtml in src/http/render.ts; a list
 * page of 75 KB in a loop: 80–125 µs instead of 170–240, docs/decisions.md 135). So every character
 * above U+007F leaves here as a numeric character reference, which the browser reads back as the same
 * character (in text, in attribute values, in a textarea).
 *
 * V8 keeps the representation of the string it started from: replacing the wide characters of a two-byte
 * string gives a two-byte string of ASCII characters, which costs as much. So a string that had any
 * is copied once more into a one-byte string (oneByte).
 */
const ABOVE_ASCII = /[^\0-\x7f]/gu;
// A lone surrogate (half a pair, never a character) becomes U+FFFD, as the browser would show it.
const charRef = (c: string): string => {
  const code = c.codePointAt(0) ?? 0xfffd;
  return `&#${code >= 0xd800 && code <= 0xdfff ? 0xfffd : code};`;
};

const oneByte = (s: string): string => Buffer.from(s, 'latin1').toString('latin1');
// Above Latin-1: the string it came from was two-byte, and so is its copy with references.
const isWide = (c: string): boolean => c.charCodeAt(0) > 0xff;

/** HTML (already escaped) with its characters above ASCII as references. */
export function asciiHtml(html: string): string {
  let wide = false;
  const out = html.replace(ABOVE_ASCII, (c) => ((wide ||= isWide(c)), charRef(c)));
  return wide ? oneByte(out) : out;
}

const ESCAPED = /[&<>'"]|[^\0-\x7f]/gu;
// The same test without the `u` and `g` flags: most values need no escaping, and V8 scans a one-byte
// string for this in half the time the replace takes to find nothing (about 50 ns a value).
const NEEDS_ESCAPING = /[&<>'"]|[^\0-\x7f]/;
// As EJS's own escape writes them.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

// Short values that need escaping recur on a page (a template's '—' for every empty cell of a list, which
// also needs the one-byte copy): the escapes of the first KEPT_MAX of them are kept (a list page of 100
// rows wrote '—' a few hundred times at about 200 ns each; a kept one costs a lookup).
const KEPT_MAX = 256;
const kept = new Map<string, string>();

/** EJS's `<%= %>`: the value as text in HTML, with its characters above ASCII as references. */
export function escapeHtml(value: unknown): string {
  if (value == null) return '';
  // A number's text is digits, '.', '-', '+', 'e', 'Infinity' or 'NaN': nothing to escape.
  if (typeof value === 'number') return String(value);
  const text = typeof value === 'string' ? value : String(value);
  if (!NEEDS_ESCAPING.test(text)) return text;
  const short = text.length <= 16;
  if (short) {
    const known = kept.get(text);
    if (known !== undefined) return known;
  }
  let wide = false;
  const replaced = text.replace(ESCAPED, (c) => ENTITIES[c] ?? ((wide ||= isWide(c)), charRef(c)));
  const out = wide ? oneByte(replaced) : replaced;
  if (short && kept.size < KEPT_MAX) kept.set(text, out);
  return out;
}

// A scriptlet (`<% … %>` of any kind, comments included) or a character above ASCII in the text.
const SCRIPTLET_OR_WIDE = /(<%[\s\S]*?%>)|[^\0-\x7f]/gu;
// In code, each UTF-16 unit above ASCII (a pair's halves separately: `\uD83D\uDE00` is one character).
const WIDE_UNIT = /[^\0-\x7f]/g;
const jsEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * A template with no character above ASCII, and so a one-byte string, as is the function EJS compiles
 * from it and every piece of text that function writes. In the template's text such a character becomes
 * a character reference; in its code (it can only be in a string, a regular expression or a comment) a
 * `\uXXXX` escape: the code still makes the same string, and what it writes through `<%= %>` goes
 * through escapeHtml.
 */
export function asciiTemplate(template: string): string {
  return oneByte(
    template.replace(SCRIPTLET_OR_WIDE, (match, scriptlet: string | undefined) =>
      scriptlet ? scriptlet.replace(WIDE_UNIT, jsEscape) : charRef(match),
    ),
  );
}

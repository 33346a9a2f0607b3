/**
 * Pages as one-byte strings. V8 stores a string with one byte per character while every character in it
 * is Latin-1 (U+0000–U+00FF). A single character above that (an em dash in a template, a curly quote in a
 * tenant's name) makes the whole page a two-byte string, and joining and encoding it for the response
 * then costs several times as much: 0.8 ms more on a Partner List page of 100 rows (docs/performance.md,
 * ninth session). So every character above U+00FF leaves here as a numeric character reference, which the
 * browser reads back as the same character (in text, in attribute values, in a textarea).
 */
const ABOVE_LATIN1 = /[^\0-\xff]/gu;
// A lone surrogate (half a pair, never a character) becomes U+FFFD, as the browser would show it.
const charRef = (c: string): string => {
  const code = c.codePointAt(0) ?? 0xfffd;
  return `&#${code >= 0xd800 && code <= 0xdfff ? 0xfffd : code};`;
};

/** HTML (already escaped) with its characters above Latin-1 as references. */
export function latin1Html(html: string): string {
  return html.replace(ABOVE_LATIN1, charRef);
}

const ESCAPED = /[&<>'"]|[^\0-\xff]/gu;
// As EJS's own escape writes them.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/** EJS's `<%= %>`: the value as text in HTML, with its characters above Latin-1 as references. */
export function escapeHtml(value: unknown): string {
  return value == null ? '' : String(value).replace(ESCAPED, (c) => ENTITIES[c] ?? charRef(c));
}

// A scriptlet (`<% … %>` of any kind, comments included), kept as written, or a character above Latin-1.
const SCRIPTLET_OR_WIDE = /(<%[\s\S]*?%>)|[^\0-\xff]/gu;

/**
 * A template's own text with its characters above Latin-1 as references. The code in its scriptlets is
 * left alone: what it writes through `<%= %>` goes through escapeHtml.
 */
export function latin1Template(template: string): string {
  return template.replace(SCRIPTLET_OR_WIDE, (match, scriptlet: string | undefined) => scriptlet ?? charRef(match));
}

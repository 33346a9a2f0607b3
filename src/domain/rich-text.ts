import sanitizeHtml from 'sanitize-html';

/**
 * Rich-text note bodies (DOMAIN.md scope decisions; §4.8): sanitised with an allow-list before they are
 * stored — p, br, b, i, u, ul, ol, li, blockquote and links with http(s) or mailto only — plus a
 * plain-text copy for search. Plain text typed into a textarea becomes paragraphs.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'b', 'strong', 'i', 'em', 'u', 'ul', 'ol', 'li', 'a', 'blockquote'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
};

export function sanitizeNote(input: string): { html: string; text: string } {
  const source = /<[a-z][\s\S]*>/i.test(input) ? input : textToHtml(input);
  const html = sanitizeHtml(source, OPTIONS).trim();
  // Paragraphs stay paragraphs in the plain-text copy (a blank line), line breaks stay line breaks.
  const text = sanitizeHtml(html.replace(/<\/(p|blockquote)>/gi, '$&\n\n').replace(/<\/li>|<br\s*\/?>/gi, '$&\n'), {
    allowedTags: [],
    allowedAttributes: {},
  })
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { html, text };
}

/**
 * A note typed into a plain textarea: always text, never read as HTML, so "mail for <domain>" keeps
 * its words and the note keeps its paragraphs and line breaks. (The rich-text editor of the Notes
 * Library posts HTML and goes through sanitizeNote.)
 */
export function noteFromText(input: string): { html: string; text: string } {
  return sanitizeNote(textToHtml(input));
}

/** Plain text → paragraphs: escaped, one `<p>` per blank-line-separated paragraph, line breaks as `<br>`. */
export function textToHtml(text: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((para) => para.trim())
    .filter(Boolean)
    .map((para) => `<p>${escape(para).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

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

/** The allow-listed HTML of a note body (its plain text becomes paragraphs). */
export function sanitizeNoteHtml(input: string): string {
  const source = /<[a-z][\s\S]*>/i.test(input) ? input : textToHtml(input);
  return sanitizeHtml(source, OPTIONS).trim();
}

export function sanitizeNote(input: string): { html: string; text: string } {
  const html = sanitizeNoteHtml(input);
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
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map(trimmed)
    .filter(Boolean)
    .map(paragraph)
    .join('');
}
// Module-level, not closures per call: the import turns 1.5 million notes into HTML.
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const trimmed = (para: string) => para.trim();
const paragraph = (para: string) => `<p>${escapeHtml(para).replace(/\n/g, '<br>')}</p>`;

/** A rich-text field as the form shows it again (see richTextShown). */
export interface RichTextShown {
  /** Readable plain text for the textarea: what a browser without the editor shows and posts back as text. */
  text: string;
  /** The sanitised HTML the editor restores ('' for a plain-text value). */
  html: string;
  /** True when the HTML carries formatting the plain text cannot (bold, lists, links, quotes). */
  formatted: boolean;
}

/**
 * A rich-text body shown again (a restored draft, a refused save). The textarea always holds readable
 * text and the form says `text`, so without JavaScript nobody reads or re-posts HTML tags; the editor
 * restores the formatting from `html` and says `html` again. Links keep their address in the text
 * ("the runbook (https://…)"), so a save without the editor keeps it, if not as a link.
 */
export function richTextShown(value: string, format: 'html' | 'text'): RichTextShown {
  if (format !== 'html') return { text: value, html: '', formatted: false };
  const { html } = sanitizeNote(value);
  const withAddresses = html.replace(/<a href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g, (_m, href: string, inner: string) => {
    const address = href.replace(/^mailto:/, ''); // still escaped, as the HTML around it
    const same = sanitizeNote(`<p>${inner}</p>`).text === address.replace(/&amp;/g, '&');
    return same ? inner : `${inner} (${address})`;
  });
  return {
    text: sanitizeNote(withAddresses).text,
    html,
    formatted: /<(strong|b|em|i|u|ul|ol|a|blockquote)\b/.test(html),
  };
}

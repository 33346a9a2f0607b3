import { isAscii } from 'node:buffer';
import { randomBytes } from 'node:crypto';

/**
 * A page's bytes for the response (sendHtml in src/http/render.ts; docs/decisions.md 147).
 *
 * A page is ASCII (src/http/one-byte.ts), and ASCII's UTF-8 bytes are its Latin-1 bytes, which a buffer
 * takes as they are stored instead of encoding them one by one. The buffers stay under `CHUNK` bytes:
 * V8 keeps a string of 128 K characters or more in its large-object space and malloc maps a buffer of
 * 128 KB or more on its own pages, and either costs 0.4–1 ms on this project's 2-core machines against
 * 5–15 µs below (a Partner List page of 100 rows is 175 KB). So a template keeps its largest part, the
 * list's rows, apart from the page string (`hold`): the page holds a mark in their place, and the rows
 * are copied into the chunks as they are.
 */
const CHUNK = 64 * 1024;

// A unit above U+00FF. V8 compiles a pattern for one-byte strings apart, and on one this class can match
// nothing: the test costs nothing on a one-byte string.
const ABOVE_LATIN1 = /[\u0100-\uffff]/;

// Where held pieces go: no data can write it (escaped text has no '<', and the sanitised HTML of a note
// keeps only known tags), and the process's random part keeps a template's own text from meaning it.
const MARK = `<ftop-held-${randomBytes(8).toString('hex')}-`;

/** Strings held apart from one response's page until it is sent, each list in place of its mark. */
export class Held {
  readonly lists: (readonly string[])[] = [];

  /** The mark that stands for `pieces` in the page. */
  hold(pieces: readonly string[]): string {
    this.lists.push(pieces);
    return `${MARK}${this.lists.length - 1}>`;
  }
}

/** The page's strings in order: the page between its marks, each mark's pieces in its place. */
function pageParts(html: string, held: Held | undefined): readonly string[] {
  if (!held?.lists.length) return [html];
  const parts: string[] = [];
  let from = 0;
  for (let at = html.indexOf(MARK); at >= 0; at = html.indexOf(MARK, from)) {
    const end = html.indexOf('>', at);
    const pieces = held.lists[Number(html.slice(at + MARK.length, end))];
    if (!pieces) throw new Error('a held mark without its pieces');
    parts.push(html.slice(from, at), ...pieces);
    from = end + 1;
  }
  parts.push(html.slice(from));
  return parts;
}

/** One buffer of the strings' Latin-1 bytes. */
function latin1(strings: readonly string[], length: number): Buffer {
  if (strings.length === 1) return Buffer.from(strings[0], 'latin1');
  const bytes = Buffer.allocUnsafe(length);
  let at = 0;
  for (const s of strings) at += bytes.write(s, at, 'latin1');
  return bytes;
}

/**
 * The page as ASCII bytes in buffers of at most `CHUNK` bytes each (a single string longer than that is
 * one buffer of its own), or null when a character is not ASCII. A character above U+00FF would be cut to
 * its low byte, which may look like ASCII, so it is looked for in the strings first; the bytes are then
 * checked (isAscii, SIMD) for U+0080–U+00FF.
 */
export function asciiChunks(html: string, held?: Held): Buffer[] | null {
  const chunks: Buffer[] = [];
  let group: string[] = [];
  let length = 0;
  const flush = (): boolean => {
    if (!group.length) return true;
    const bytes = latin1(group, length);
    chunks.push(bytes);
    group = [];
    length = 0;
    return isAscii(bytes);
  };
  for (const part of pageParts(html, held)) {
    if (!part.length) continue;
    if (ABOVE_LATIN1.test(part)) return null;
    if (length + part.length > CHUNK && !flush()) return null;
    group.push(part);
    length += part.length;
  }
  return flush() ? chunks : null;
}

/** The page as UTF-8, for HTML that is not ASCII (it came through neither a template nor escapeHtml). */
export function utf8Bytes(html: string, held?: Held): Buffer {
  return Buffer.from(pageParts(html, held).join(''), 'utf8');
}

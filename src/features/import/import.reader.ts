import fs from 'node:fs';
import { AdminInputError } from '../admin/admin.errors';
import { ScanError, type Span } from './json-grammar';
import { Scanner } from './json-scanner';

/**
 * Streaming reader of the import file (CONTRACT.md §5) with bounded memory: a 500 MB file is read in
 * chunks (again if the caller wants a second pass), and only the current element is held.
 *
 * A byte-level scanner walks the JSON grammar (strings with their escapes, numbers, literals, nesting),
 * finds the byte range of each top-level key's value and of each element of a top-level array, and
 * hands only that slice to the native JSON.parse. It reports the first syntax error itself, at the
 * same place and in the same words as `parseJson` (test/helpers/parse-json.ts, the whole-file parser the reader replaced) for a file read whole.
 */

export type ImportEntry =
  { kind: 'element'; key: string; index: number; value: unknown } | { kind: 'value'; key: string; value: unknown };

export interface ReadImportOptions {
  /** Bytes per read; 4 MiB by default. Tests use tiny chunks to put every boundary somewhere awkward. */
  chunkBytes?: number;
  /** Called after each read with the bytes read so far and the file's size (a progress bar). */
  onRead?: (bytes: number, size: number) => void;
}

/** An unreadable file or invalid JSON. An AdminInputError, so the CLI prints it as one `error: …` line (exit 1). */
export class ImportSyntaxError extends AdminInputError {
  constructor(
    message: string,
    /** 1-based position of the error in the whole file (after a BOM), when the error has one. */
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'ImportSyntaxError';
  }
}

const NOT_AN_OBJECT = 'the file must contain a JSON object with orgs, users and tenants';
const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

function cannotRead(filePath: string, err: unknown): ImportSyntaxError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
  return new ImportSyntaxError(`cannot read ${filePath}: ${why}`);
}

/** UTF-16 length of the UTF-8 bytes b[from, to): columns count like the string parse.ts sees. */
function utf16Length(b: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = b[i];
    if ((c & 0xc0) !== 0x80) n += c >= 0xf0 ? 2 : 1;
  }
  return n;
}

/** Turns a ScanError into the message parse.ts gives, re-reading the file up to the error for line and column. */
async function syntaxError(handle: fs.promises.FileHandle, err: ScanError, bom: number): Promise<ImportSyntaxError> {
  if (err.offset < 0) return new ImportSyntaxError(NOT_AN_OBJECT);
  let line = 1;
  let column = 1;
  const chunk = Buffer.allocUnsafe(1 << 20);
  for (let pos = bom; pos < err.offset;) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, err.offset - pos), pos);
    if (!bytesRead) break;
    const view = chunk.subarray(0, bytesRead);
    let from = 0;
    for (let nl = view.indexOf(0x0a); nl !== -1; nl = view.indexOf(0x0a, from)) {
      line++;
      column = 1;
      from = nl + 1;
    }
    column += utf16Length(view, from, bytesRead);
    pos += bytesRead;
  }
  const head = Buffer.alloc(4);
  const { bytesRead } = await handle.read(head, 0, 4, err.offset);
  const ch = head.subarray(0, bytesRead).toString('utf8').codePointAt(0);
  const found = ch === undefined ? 'end of file' : JSON.stringify(String.fromCodePoint(ch));
  return new ImportSyntaxError(
    `invalid JSON at line ${line}, column ${column}: expected ${err.expected}, found ${found}`,
    line,
    column,
  );
}

function parseSpan(span: Span): unknown {
  try {
    return JSON.parse(span.bytes.toString('utf8'));
  } catch {
    // The scanner has checked the grammar; this is a safety net, not an expected path.
    throw new ScanError(span.start, 'valid JSON');
  }
}

/**
 * Yields, in file order, each element of every top-level array (`{kind: 'element', key, index, value}`)
 * and the value of every other top-level key (`{kind: 'value', key, value}`). Any keys are yielded,
 * duplicates included: the caller decides what is allowed. An empty array yields nothing.
 * Memory: one chunk plus the element being read. A leading UTF-8 BOM is skipped.
 * @throws ImportSyntaxError for an unreadable file, invalid JSON (with line and column) or a top level
 * that is not an object. Entries before the error have been yielded already.
 */
export async function* readImportFile(filePath: string, options: ReadImportOptions = {}): AsyncGenerator<ImportEntry> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw new RangeError('chunkBytes must be a positive integer');
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(filePath, 'r');
  } catch (err) {
    throw cannotRead(filePath, err);
  }
  const read = async (buffer: Buffer, position: number) => {
    try {
      return (await handle.read(buffer, 0, buffer.length, position)).bytesRead;
    } catch (err) {
      throw cannotRead(filePath, err);
    }
  };
  let bom = 0;
  try {
    const head = Buffer.alloc(3);
    if ((await read(head, 0)) === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) bom = 3;
    const size = (await handle.stat()).size;
    const scanner = new Scanner();
    let key = '';
    let index = 0;
    let offset = bom;
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const n = await read(chunk, offset);
      if (n === 0) break;
      scanner.feed(chunk.subarray(0, n), offset);
      offset += n;
      options.onRead?.(offset, size);
      for (let span = scanner.next(); span; span = scanner.next()) {
        if (span.kind === 'key') {
          key = parseSpan(span) as string;
          index = 0;
        } else if (span.kind === 'element') yield { kind: 'element', key, index: index++, value: parseSpan(span) };
        else yield { kind: 'value', key, value: parseSpan(span) };
      }
    }
    scanner.finish(offset);
  } catch (err) {
    if (err instanceof ScanError) throw await syntaxError(handle, err, bom);
    throw err;
  } finally {
    await handle.close();
  }
}

import fs from 'node:fs';
import { AdminInputError } from '../admin/admin.errors';

/**
 * Streaming reader of the import file (CONTRACT.md §5) with bounded memory: a 500 MB file is read in
 * chunks, twice if the caller wants (validate, then write), and only the current element is held.
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

// Scanner states.
const START = 0; // before the top-level object
const OBJ_FIRST = 1; // after '{': a key or '}'
const OBJ_KEY = 2; // after ',' in an object: a key
const COLON = 3;
const VALUE = 4; // after ':' or ',' in an array
const ARR_FIRST = 5; // after '[': a value or ']'
const AFTER = 6; // after a value: ',' or the closer of the container
const STRING = 7;
const NUMBER = 8;
const LITERAL = 9;
const END = 10; // after the top-level object: whitespace only
// Number states (the grammar of JSON numbers, accepting states marked *).
const N_MINUS = 1;
const N_ZERO = 2; // *
const N_INT = 3; // *
const N_DOT = 4;
const N_FRAC = 5; // *
const N_E = 6;
const N_SIGN = 7;
const N_EXP = 8; // *
const ACCEPTING = [false, false, true, true, false, true, false, false, true];

const OBJ = 1;
const ARR = 2;
type SpanKind = 'key' | 'value' | 'element';
const LITERALS: Record<number, Buffer> = {
  0x74: Buffer.from('true'),
  0x66: Buffer.from('false'),
  0x6e: Buffer.from('null'),
};
const ESCAPES = new Set([...'"\\/bfnrt'].map((ch) => ch.charCodeAt(0)));

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** The first syntax error: its byte offset in the file and what was expected there (parse.ts wording). */
class ScanError {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {}
}

interface Span {
  kind: SpanKind;
  bytes: Buffer;
  start: number;
}

/** The resumable scanner: feed it chunks in order, take the completed spans with next(), then call finish(). */
class Scanner {
  private buf: Buffer = Buffer.alloc(0);
  private base = 0; // file offset of buf[0]
  private pos = 0;
  private state = START;
  private depth = 0;
  private stack = new Uint8Array(64);
  private topArray = false; // inside the array value of a top-level key
  private strKey = false;
  private esc = 0; // 0 none, 1 after '\', 2 inside \uXXXX
  private hex = 0;
  private escAt = 0;
  private num = 0;
  private numMark = 0; // where the non-accepting tail of a number starts ('.', 'e', sign)
  private tokenAt = 0; // start of the current number or literal
  private literal = LITERALS[0x74];
  private litPos = 0;
  private capKind: SpanKind = 'value';
  private capDepth = -1; // depth of the value being captured; -1 when none
  private capStart = 0;
  private parts: Buffer[] = [];

  feed(buf: Buffer, base: number): void {
    this.buf = buf;
    this.base = base;
    this.pos = 0;
  }

  /** Scans on until a key, value or element is complete (returned) or the chunk is used up (null). */
  next(): Span | null {
    const buf = this.buf;
    const n = buf.length;
    let i = this.pos;
    while (i < n) {
      const c = buf[i];
      const state = this.state;
      if (state === STRING) {
        if (this.esc === 0) {
          let d = c;
          // The hot loop: most bytes of an import file are string contents.
          while (d !== 0x22 && d !== 0x5c && d >= 0x20 && ++i < n) d = buf[i];
          if (i === n) break;
          i++;
          if (d === 0x22) {
            const span = this.strKey ? this.keyDone(i) : this.valueDone(i);
            if (span) return this.pause(i, span);
          } else if (d === 0x5c) {
            this.esc = 1;
            this.escAt = this.base + i - 1;
          } else this.fail(i - 1, 'a closing quote (control characters must be escaped)');
        } else if (this.esc === 1) {
          if (c === 0x75) {
            this.esc = 2;
            this.hex = 4;
          } else if (ESCAPES.has(c)) this.esc = 0;
          else throw new ScanError(this.escAt, 'a valid escape sequence');
          i++;
        } else {
          if (!isHex(c)) throw new ScanError(this.escAt, 'a valid escape sequence');
          if (--this.hex === 0) this.esc = 0;
          i++;
        }
        continue;
      }
      if (state === NUMBER) {
        const next = this.numberStep(c);
        if (next) {
          if (ACCEPTING[this.num] && !ACCEPTING[next]) this.numMark = this.base + i;
          this.num = next;
          i++;
          continue;
        }
        this.numberEnd();
        const span = this.valueDone(i); // c is looked at again in the AFTER state
        if (span) return this.pause(i, span);
        continue;
      }
      if (state === LITERAL) {
        if (c !== this.literal[this.litPos]) throw new ScanError(this.tokenAt, 'a value');
        i++;
        if (++this.litPos === this.literal.length) {
          const span = this.valueDone(i);
          if (span) return this.pause(i, span);
        }
        continue;
      }
      if (isWs(c)) {
        while (++i < n && isWs(buf[i]));
        continue;
      }
      switch (state) {
        case AFTER: {
          const top = this.stack[this.depth - 1];
          if (c === 0x2c) this.state = top === OBJ ? OBJ_KEY : VALUE;
          else if ((c === 0x7d && top === OBJ) || (c === 0x5d && top === ARR)) {
            this.depth--;
            const span = this.valueDone(i + 1);
            if (span) return this.pause(i + 1, span);
          } else this.fail(i, this.afterExpected());
          i++;
          break;
        }
        case OBJ_FIRST:
        case OBJ_KEY:
          if (c === 0x22) {
            if (this.depth === 1) this.capture('key', i);
            this.state = STRING;
            this.strKey = true;
          } else if (c === 0x7d && state === OBJ_FIRST) {
            this.depth--;
            const span = this.valueDone(i + 1);
            if (span) return this.pause(i + 1, span);
          } else this.fail(i, 'a property name in double quotes');
          i++;
          break;
        case COLON:
          if (c !== 0x3a) this.fail(i, "':'");
          this.state = VALUE;
          i++;
          break;
        case ARR_FIRST:
        case VALUE:
          if (c === 0x5d && state === ARR_FIRST) {
            this.depth--;
            const span = this.valueDone(i + 1);
            if (span) return this.pause(i + 1, span);
          } else this.startValue(c, i);
          i++;
          break;
        case START:
          if (c === 0x7b) this.push(OBJ, OBJ_FIRST);
          else if (c === 0x5b || c === 0x22 || c === 0x2d || isDigit(c) || LITERALS[c]) throw new ScanError(-1, '');
          else this.fail(i, 'a value');
          i++;
          break;
        default: // END
          this.fail(i, 'end of file');
      }
    }
    // The chunk is used up: keep the part of an unfinished capture, drop the rest.
    if (this.capDepth >= 0) this.parts.push(buf.subarray(Math.max(0, this.capStart - this.base)));
    this.pos = n;
    return null;
  }

  /** At the end of the file: anything but a closed top-level object is an error. */
  finish(eof: number): void {
    switch (this.state) {
      case END:
        return;
      case START:
        throw new ScanError(-1, '');
      case STRING:
        throw this.esc ? new ScanError(this.escAt, 'a valid escape sequence') : new ScanError(eof, 'a closing quote');
      case NUMBER:
        this.numberEnd();
        throw new ScanError(eof, this.afterExpected());
      case LITERAL:
        throw new ScanError(this.tokenAt, 'a value');
      case OBJ_FIRST:
      case OBJ_KEY:
        throw new ScanError(eof, 'a property name in double quotes');
      case COLON:
        throw new ScanError(eof, "':'");
      case AFTER:
        throw new ScanError(eof, this.afterExpected());
      default:
        throw new ScanError(eof, 'a value');
    }
  }

  private fail(i: number, expected: string): never {
    throw new ScanError(this.base + i, expected);
  }

  private pause(i: number, span: Span): Span {
    this.pos = i;
    return span;
  }

  private afterExpected(): string {
    return this.stack[this.depth - 1] === OBJ ? "',' or '}'" : "',' or ']'";
  }

  private push(kind: number, state: number): void {
    if (this.depth === this.stack.length) {
      const grown = new Uint8Array(this.stack.length * 2);
      grown.set(this.stack);
      this.stack = grown;
    }
    this.stack[this.depth++] = kind;
    this.state = state;
  }

  private capture(kind: SpanKind, i: number): void {
    this.capKind = kind;
    this.capDepth = this.depth;
    this.capStart = this.base + i;
  }

  private startValue(c: number, i: number): void {
    if (this.depth === 1) {
      if (c === 0x5b) this.topArray = true;
      else this.capture('value', i);
    } else if (this.depth === 2 && this.topArray) this.capture('element', i);
    if (c === 0x7b) this.push(OBJ, OBJ_FIRST);
    else if (c === 0x5b) this.push(ARR, ARR_FIRST);
    else if (c === 0x22) {
      this.state = STRING;
      this.strKey = false;
    } else if (c === 0x2d || isDigit(c)) {
      this.state = NUMBER;
      this.num = c === 0x2d ? N_MINUS : c === 0x30 ? N_ZERO : N_INT;
      this.tokenAt = this.base + i;
    } else if (LITERALS[c]) {
      this.state = LITERAL;
      this.literal = LITERALS[c];
      this.litPos = 1;
      this.tokenAt = this.base + i;
    } else this.fail(i, 'a value');
  }

  /** The next number state for byte c, or 0 when c does not continue the number. */
  private numberStep(c: number): number {
    const s = this.num;
    if (isDigit(c)) {
      if (s === N_MINUS) return c === 0x30 ? N_ZERO : N_INT;
      if (s === N_ZERO) return 0;
      if (s === N_INT) return N_INT;
      return s === N_DOT || s === N_FRAC ? N_FRAC : N_EXP;
    }
    if (c === 0x2e) return s === N_ZERO || s === N_INT ? N_DOT : 0;
    if (c === 0x65 || c === 0x45) return s === N_ZERO || s === N_INT || s === N_FRAC ? N_E : 0;
    if (c === 0x2b || c === 0x2d) return s === N_E ? N_SIGN : 0;
    return 0;
  }

  /** A number that stops in a non-accepting state is, like in parse.ts, its longest valid prefix plus junk. */
  private numberEnd(): void {
    if (this.num === N_MINUS) throw new ScanError(this.tokenAt, 'a value');
    if (!ACCEPTING[this.num]) throw new ScanError(this.numMark, this.afterExpected());
  }

  private keyDone(end: number): Span | null {
    this.state = COLON;
    return this.depth === 1 ? this.complete(end) : null;
  }

  /** A value ended at `end` (exclusive) at the current depth: maybe a capture is complete. */
  private valueDone(end: number): Span | null {
    this.state = this.depth === 0 ? END : AFTER;
    if (this.depth === 1) this.topArray = false;
    return this.capDepth === this.depth ? this.complete(end) : null;
  }

  private complete(end: number): Span {
    const head = this.buf.subarray(Math.max(0, this.capStart - this.base), end);
    const bytes = this.parts.length ? Buffer.concat([...this.parts, head]) : head;
    this.parts = [];
    this.capDepth = -1;
    return { kind: this.capKind, bytes, start: this.capStart };
  }
}

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

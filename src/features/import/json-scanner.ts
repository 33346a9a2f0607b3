import * as grammar from './json-grammar';
import { ScanError, type Span, type SpanKind } from './json-grammar';

// Local bindings, read once: the hot loop must not go through the module's export accessors (a getter
// per access once compiled to CommonJS, which made the scan several times slower).
const {
  ACCEPTING,
  AFTER,
  ARR,
  ARR_FIRST,
  COLON,
  END,
  ESCAPES,
  LITERAL,
  LITERALS,
  NUMBER,
  N_DOT,
  N_E,
  N_EXP,
  N_FRAC,
  N_INT,
  N_MINUS,
  N_SIGN,
  N_ZERO,
  OBJ,
  OBJ_FIRST,
  OBJ_KEY,
  START,
  STRING,
  VALUE,
  isDigit,
  isHex,
  isWs,
} = grammar;

/** The resumable scanner: feed it chunks in order, take the completed spans with next(), then call finish(). */
export class Scanner {
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

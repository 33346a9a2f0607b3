/** The JSON grammar the import file's scanner (json-scanner.ts) walks: its states and the byte classes it needs. */

// Scanner states.
export const START = 0; // before the top-level object
export const OBJ_FIRST = 1; // after '{': a key or '}'
export const OBJ_KEY = 2; // after ',' in an object: a key
export const COLON = 3;
export const VALUE = 4; // after ':' or ',' in an array
export const ARR_FIRST = 5; // after '[': a value or ']'
export const AFTER = 6; // after a value: ',' or the closer of the container
export const STRING = 7;
export const NUMBER = 8;
export const LITERAL = 9;
export const END = 10; // after the top-level object: whitespace only
// Number states (the grammar of JSON numbers, accepting states marked *).
export const N_MINUS = 1;
export const N_ZERO = 2; // *
export const N_INT = 3; // *
export const N_DOT = 4;
export const N_FRAC = 5; // *
export const N_E = 6;
export const N_SIGN = 7;
export const N_EXP = 8; // *
export const ACCEPTING = [false, false, true, true, false, true, false, false, true];

export const OBJ = 1;
export const ARR = 2;
export type SpanKind = 'key' | 'value' | 'element';
export const LITERALS: Record<number, Buffer> = {
  0x74: Buffer.from('true'),
  0x66: Buffer.from('false'),
  0x6e: Buffer.from('null'),
};
export const ESCAPES = new Set([...'"\\/bfnrt'].map((ch) => ch.charCodeAt(0)));

export const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
export const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
export const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** The first syntax error: its byte offset in the file and what was expected there (parse.ts wording). */
export class ScanError {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {}
}

export interface Span {
  kind: SpanKind;
  bytes: Buffer;
  start: number;
}

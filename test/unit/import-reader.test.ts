import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parseJson } from '../helpers/parse-json';
import { ImportSyntaxError, readImportFile, type ImportEntry } from '../../src/features/import/import.reader';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ftop-reader-'));
let fileNo = 0;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes `content` (a string is written as UTF-8) to a new temporary file and returns its path. */
function tempFile(content: string | Buffer): string {
  const file = path.join(dir, `import-${++fileNo}.json`);
  fs.writeFileSync(file, content);
  return file;
}

async function readAll(file: string, chunkBytes?: number): Promise<ImportEntry[]> {
  const entries: ImportEntry[] = [];
  for await (const entry of readImportFile(file, { chunkBytes })) entries.push(entry);
  return entries;
}

/** What the reader must yield for a document without duplicate keys, computed from JSON.parse of the whole text. */
function expectedEntries(text: string): ImportEntry[] {
  const doc = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  return Object.entries(doc).flatMap(([key, value]): ImportEntry[] =>
    Array.isArray(value)
      ? value.map((element, index) => ({ kind: 'element', key, index, value: element }))
      : [{ kind: 'value', key, value }],
  );
}

/** The error message the reader gives for `content`, checked to be the same for several chunk sizes. */
async function errorOf(content: string | Buffer, chunkSizes = [1, 7, 64, 4096]): Promise<string> {
  const file = tempFile(content);
  const messages = new Set<string>();
  for (const chunkBytes of chunkSizes) {
    try {
      await readAll(file, chunkBytes);
      messages.add('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(ImportSyntaxError);
      messages.add((err as Error).message);
    }
  }
  expect([...messages]).toHaveLength(1);
  return [...messages][0];
}

const TRICKY = {
  orgs: [
    { name: 'Nörthwind "Partners"', domains: ['a.example'], note: 'back\\slash, {brace} and ]bracket[ and \\"' },
    { name: 'Emoji 🚀🎉 org', tags: ['x', '', 'ÿ€𝄞'], nested: { deep: [[1, [2, { three: [] }]], {}] } },
  ],
  users: [],
  tenants: [
    { tenantId: 't1', n: -0.5e-3, big: 1.25e21, flags: [true, false, null], text: 'tab\tnew\nline\u0001\u2028' },
    'a string element',
    42,
    [],
  ],
  settings: { strict: true, list: [1, 2, 3] },
  label: 'ö',
  count: 0,
  nothing: null,
};

describe('readImportFile', () => {
  it('yields every element of the top-level arrays and every other top-level value, in file order', async () => {
    const text = JSON.stringify(TRICKY);
    const entries = await readAll(tempFile(text));
    expect(entries).toEqual(expectedEntries(text));
    expect(entries.map((e) => `${e.kind} ${e.key}${e.kind === 'element' ? `[${e.index}]` : ''}`)).toEqual([
      'element orgs[0]',
      'element orgs[1]',
      'element tenants[0]',
      'element tenants[1]',
      'element tenants[2]',
      'element tenants[3]',
      'value settings',
      'value label',
      'value count',
      'value nothing',
    ]);
  });

  it('reads elements, escapes and multi-byte characters that straddle chunk boundaries', async () => {
    const text = JSON.stringify(TRICKY);
    const file = tempFile(text);
    // Every chunk size from 1 to 13 puts a boundary inside every escape, emoji and key at least once.
    for (const chunkBytes of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 64]) {
      expect(await readAll(file, chunkBytes)).toEqual(expectedEntries(text));
    }
  });

  it('accepts whitespace and newlines (LF, CRLF, tabs) everywhere, and a leading BOM', async () => {
    const pretty = JSON.stringify(TRICKY, null, '\t').replace(/\n/g, '\r\n  ').replace(/:/g, ' :\n ');
    expect(JSON.parse(pretty)).toEqual(TRICKY); // the replacements did not touch string contents
    const padded = `\n \r\n\t${pretty}\n\n  \t\r\n`;
    for (const content of [padded, `\uFEFF${padded}`, `\uFEFF${JSON.stringify(TRICKY)}`]) {
      const file = tempFile(content);
      for (const chunkBytes of [1, 7, 64, undefined]) {
        expect(await readAll(file, chunkBytes)).toEqual(expectedEntries(content));
      }
    }
  });

  it('yields nothing for empty arrays and an empty object, and duplicate keys as they come', async () => {
    expect(await readAll(tempFile('{}'))).toEqual([]);
    expect(await readAll(tempFile('{ "orgs" : [ ], "users":[],"tenants":[\n]}'))).toEqual([]);
    expect(await readAll(tempFile('{"tenants":[1],"orgs":[],"tenants":[2,3],"x":1,"x":[]}'), 7)).toEqual([
      { kind: 'element', key: 'tenants', index: 0, value: 1 },
      { kind: 'element', key: 'tenants', index: 0, value: 2 },
      { kind: 'element', key: 'tenants', index: 1, value: 3 },
      { kind: 'value', key: 'x', value: 1 },
    ]);
  });

  it('decodes escaped top-level keys', async () => {
    expect(await readAll(tempFile('{"t\\u00e9n\\"ants":[{"a":1}],"\\u2603":"x"}'), 3)).toEqual([
      { kind: 'element', key: 'tén"ants', index: 0, value: { a: 1 } },
      { kind: 'value', key: '☃', value: 'x' },
    ]);
  });

  it('can be stopped early, and read twice', async () => {
    const file = tempFile(JSON.stringify(TRICKY));
    const first: ImportEntry[] = [];
    for await (const entry of readImportFile(file, { chunkBytes: 5 })) {
      first.push(entry);
      if (first.length === 2) break;
    }
    expect(first).toEqual(expectedEntries(JSON.stringify(TRICKY)).slice(0, 2));
    expect(await readAll(file)).toHaveLength(10);
  });
});

describe('readImportFile: errors', () => {
  it('reports an unterminated string at the end of the file, or at the raw line break inside it', async () => {
    expect(await errorOf('{"orgs": [{"name": "Northwind')).toBe(
      'invalid JSON at line 1, column 30: expected a closing quote, found end of file',
    );
    expect(await errorOf('{\n  "orgs": [\n    {"name": "Nörthwind\n  }]\n}')).toBe(
      'invalid JSON at line 3, column 24: expected a closing quote (control characters must be escaped), found "\\n"',
    );
  });

  it('reports a missing comma between elements, and junk after a value, at the offending character', async () => {
    expect(await errorOf('{"tenants": [\n  {"a": 1}\n  {"b": 2}\n]}')).toBe(
      `invalid JSON at line 3, column 3: expected ',' or ']', found "{"`,
    );
    expect(await errorOf('{"tenants": [{"a": 1 "b": 2}]}')).toBe(
      `invalid JSON at line 1, column 22: expected ',' or '}', found "\\""`,
    );
    expect(await errorOf('{"orgs": [1,]}')).toBe('invalid JSON at line 1, column 13: expected a value, found "]"');
    expect(await errorOf('{"orgs": [01]}')).toBe(`invalid JSON at line 1, column 12: expected ',' or ']', found "1"`);
    expect(await errorOf('{"orgs": [tru]}')).toBe('invalid JSON at line 1, column 11: expected a value, found "t"');
    expect(await errorOf('{"a": "\\x"}')).toBe(
      'invalid JSON at line 1, column 8: expected a valid escape sequence, found "\\\\"',
    );
    expect(await errorOf('{"a" 1}')).toBe(`invalid JSON at line 1, column 6: expected ':', found "1"`);
  });

  it('counts columns in characters, not bytes, and not the BOM', async () => {
    expect(await errorOf('\uFEFF{"ö🚀": x}')).toBe('invalid JSON at line 1, column 9: expected a value, found "x"');
    expect(await errorOf('{"a":\r\n "é" ö}')).toBe(`invalid JSON at line 2, column 6: expected ',' or '}', found "ö"`);
  });

  it('reports trailing garbage after the top-level object', async () => {
    expect(await errorOf('{"orgs": []}\n\n  x')).toBe(
      'invalid JSON at line 3, column 3: expected end of file, found "x"',
    );
    expect(await errorOf('{"orgs": []}{}')).toBe('invalid JSON at line 1, column 13: expected end of file, found "{"');
    expect(await errorOf('{"orgs": []')).toBe(
      `invalid JSON at line 1, column 12: expected ',' or '}', found end of file`,
    );
  });

  it('refuses a top level that is not an object: an array, a number, a string, an empty or blank file', async () => {
    for (const content of ['[{"name": "x"}]', '42', '"orgs"', 'null', '', '  \n', '\uFEFF']) {
      expect(await errorOf(content)).toBe('the file must contain a JSON object with orgs, users and tenants');
    }
    expect(await errorOf('<orgs/>')).toBe('invalid JSON at line 1, column 1: expected a value, found "<"');
  });

  it('carries the position on the error and reports an unreadable file', async () => {
    const error = await readAll(tempFile('{\n\n   ]')).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ImportSyntaxError);
    expect(error).toMatchObject({ name: 'ImportSyntaxError', line: 3, column: 4 });
    const missing = path.join(dir, 'missing.json');
    await expect(readAll(missing)).rejects.toThrow(new ImportSyntaxError(`cannot read ${missing}: no such file`));
    await expect(readAll(dir)).rejects.toThrow(new ImportSyntaxError(`cannot read ${dir}: it is a directory`));
  });

  it('reports each error where parseJson (import.parse.ts) reports it for the file read whole', async () => {
    // A seeded set of broken copies of a pretty-printed document: one or two characters deleted,
    // inserted or the text cut short. Both must agree on validity and on the message.
    const base = JSON.stringify(TRICKY, null, 1);
    const alphabet = [...'{}[],:"\\10-.etx \nöu+'];
    let seed = 20261201;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let broken = 0;
    for (let k = 0; k < 300; k++) {
      let text = base;
      for (let edits = 1 + random(2); edits > 0; edits--) {
        const at = random(text.length);
        const op = random(3);
        if (op === 0) text = text.slice(0, at) + text.slice(at + 1);
        else if (op === 1) text = text.slice(0, at) + alphabet[random(alphabet.length)] + text.slice(at);
        else text = text.slice(0, at + 1);
      }
      let expected = 'no error';
      try {
        parseJson(text);
      } catch (err) {
        expected = (err as Error).message;
        broken++;
      }
      expect(await errorOf(text, [3, 4096])).toBe(expected);
    }
    expect(broken).toBeGreaterThan(200);
  });
});

describe('readImportFile: a large file', () => {
  it('reads 50,000 elements with memory bounded by the chunk, not the file', async () => {
    const file = path.join(dir, 'large.json');
    const out = fs.openSync(file, 'w');
    const padding = 'lorem ipsum dolor sit amet, ö and 🚀 '.repeat(40);
    fs.writeSync(out, '{"orgs": [], "tenants": [\n');
    for (let i = 0; i < 50_000; i += 1000) {
      const batch = Array.from({ length: 1000 }, (_, k) => JSON.stringify({ i: i + k, padding }));
      fs.writeSync(out, `${i ? ',\n' : ''}${batch.join(',\n')}`);
    }
    fs.writeSync(out, '\n], "done": true}\n');
    fs.closeSync(out);
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThan(75e6);

    // Retained memory, measured after a full collection (the flag makes gc() available inside the test).
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const retained = () => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const before = retained();
    let peak = 0;
    let samples = 0;
    let count = 0;
    let outOfOrder = 0;
    let last: ImportEntry | undefined;
    for await (const entry of readImportFile(file, { chunkBytes: 1024 * 1024 })) {
      if (entry.kind === 'element') {
        if (entry.index !== count || (entry.value as { i: number }).i !== count) outOfOrder++;
        count++;
        if (count % 5000 === 0) {
          samples++;
          peak = Math.max(peak, retained() - before);
        }
      }
      last = entry;
    }
    expect({ count, outOfOrder }).toEqual({ count: 50_000, outOfOrder: 0 });
    expect(last).toEqual({ kind: 'value', key: 'done', value: true });
    // Reading the file whole would hold its 75+ MB (and more as a string); the stream holds one chunk,
    // the element being read and the entry the caller has.
    // A collection may leave less than before the read began, so the growth can be zero or negative.
    expect(samples).toBe(10);
    expect(peak).toBeLessThan(8 * 1024 * 1024);
  });
});

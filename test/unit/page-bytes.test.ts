import { asciiChunks, Held, utf8Bytes } from '../../src/http/page-bytes';

const bytesOf = (chunks: Buffer[] | null) => Buffer.concat(chunks!).toString('latin1');
const row = (i: number) => `<tr><td>row ${i}</td><td>${'x'.repeat(1700)}</td></tr>`;

/** src/http/page-bytes.ts: a page's ASCII bytes in buffers under 64 KB, held pieces in their marks' places. */
describe('page bytes (decision 147)', () => {
  it('a page without held pieces is one buffer of its bytes, however long', () => {
    const page = `<p>${'a'.repeat(200_000)}</p>`;
    const chunks = asciiChunks(page);
    expect(chunks).toHaveLength(1);
    expect(chunks![0].equals(Buffer.from(page))).toBe(true);
  });

  it('puts each held list in its mark’s place, in order, in buffers of at most 64 KB', () => {
    const held = new Held();
    const rows = Array.from({ length: 100 }, (_, i) => row(i));
    const page = `<table><tbody>${held.hold(rows)}</tbody></table><ul>${held.hold(['<li>a</li>', '<li>b</li>'])}</ul>`;
    const chunks = asciiChunks(page, held);
    expect(bytesOf(chunks)).toBe(`<table><tbody>${rows.join('')}</tbody></table><ul><li>a</li><li>b</li></ul>`);
    expect(chunks!.length).toBeGreaterThan(2);
    for (const chunk of chunks!) expect(chunk.length).toBeLessThanOrEqual(64 * 1024);
  });

  it('a held list may be empty, and pieces held but not marked are left out', () => {
    const held = new Held();
    held.hold(['<tr>unused</tr>']);
    const page = `<tbody>${held.hold([])}</tbody>`;
    expect(bytesOf(asciiChunks(page, held))).toBe('<tbody></tbody>');
  });

  it('a mark of another process or a made-up one is text like any other', () => {
    const held = new Held();
    const page = `<p>${held.hold(['<b>kept</b>'])}</p><ftop-held-00000000-0>`;
    expect(bytesOf(asciiChunks(page, held))).toBe('<p><b>kept</b></p><ftop-held-00000000-0>');
  });

  it('a mark whose pieces are not held is an error, not a page with a hole', () => {
    const held = new Held();
    const mark = held.hold(['<tr></tr>']);
    expect(() => asciiChunks(`${mark}${mark.replace('-0>', '-1>')}`, held)).toThrow('a held mark without its pieces');
  });

  it.each([
    ['Latin-1 in the page', 'Zürich', ''],
    ['Latin-1 in a held piece', '', 'Zürich'],
    // Ł is U+0141 and ź U+017A: cut to their low bytes they would read as "A" and "z".
    ['above Latin-1 with ASCII low bytes in the page', 'Łódź', ''],
    ['above Latin-1 with ASCII low bytes in a held piece', '', 'Łódź'],
    ['beyond the BMP in a held piece', '', 'emoji 😀'],
  ])('%s: not ASCII, so no chunks; utf8Bytes encodes the whole page', (_case, inPage, inPiece) => {
    const held = new Held();
    const page = `<p>${inPage}</p>${held.hold([row(1), `<td>${inPiece}</td>`, row(2)])}`;
    expect(asciiChunks(page, held)).toBeNull();
    expect(utf8Bytes(page, held).toString('utf8')).toBe(`<p>${inPage}</p>${row(1)}<td>${inPiece}</td>${row(2)}`);
  });

  it('a non-ASCII piece far past the first chunk is still found', () => {
    const held = new Held();
    const rows = Array.from({ length: 100 }, (_, i) => row(i));
    rows[90] = `<td>caf\u00e9</td>`;
    expect(asciiChunks(`<tbody>${held.hold(rows)}</tbody>`, held)).toBeNull();
  });
});

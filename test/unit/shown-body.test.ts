import { sanitizeNoteHtml } from '../../src/domain/rich-text';
import { shownBody } from '../../src/features/notes/notes.service';

// Counts the sanitiser's runs: shownBody keeps its results by stored body.
jest.mock('../../src/domain/rich-text', () => {
  const actual = jest.requireActual('../../src/domain/rich-text');
  return { ...actual, sanitizeNoteHtml: jest.fn(actual.sanitizeNoteHtml) };
});
const runs = () => jest.mocked(sanitizeNoteHtml).mock.calls.length;

/**
 * A stored note body as the histories show it (shownBody in src/features/notes/notes.service.ts, decision
 * 145): sanitised again, direction controls shown, ASCII, and each body sanitised once while its result is
 * kept, within a bound on what is held.
 */
describe('shownBody', () => {
  beforeEach(() => jest.mocked(sanitizeNoteHtml).mockClear());

  it('shows a body sanitised, with its direction controls shown and as ASCII, and sanitises it once', () => {
    const stored = '<p>Caf\u00e9 <script>alert(1)</script><a href="javascript:x">go</a> txt\u202Eexe</p>';
    const shown = shownBody(stored);
    expect(shown).not.toMatch(/<script|javascript:/);
    expect(shown).toContain('[U+202E]');
    expect(shown).toContain('Caf&#233;');
    expect(shown).not.toMatch(/[^\0-\x7f]/);
    expect(runs()).toBe(1);
    expect(shownBody(stored)).toBe(shown);
    expect(runs()).toBe(1);
  });

  it('keeps each body’s own result', () => {
    const a = shownBody('<p>first <b>note</b></p>');
    const b = shownBody('<p>second <i>note</i></p>');
    expect(shownBody('<p>first <b>note</b></p>')).toBe(a);
    expect(shownBody('<p>second <i>note</i></p>')).toBe(b);
    expect(a).not.toBe(b);
    expect(runs()).toBe(2);
  });

  it('holds at most about two million characters: past that it starts over', () => {
    const first = `<p>${'a'.repeat(600_000)}</p>`;
    const second = `<p>${'b'.repeat(600_000)}</p>`;
    shownBody(first);
    shownBody(first);
    expect(runs()).toBe(1);
    shownBody(second); // 2.4 million characters with the first: the memo starts over with the second
    shownBody(second);
    expect(runs()).toBe(2);
    shownBody(first);
    expect(runs()).toBe(3);
  });
});

import fs from 'node:fs';
import path from 'node:path';

/**
 * Every EJS include names its partial from the views folder (`include('/folder/_partial')`, EJS `root`,
 * src/http/views.ts): a relative include still renders, but EJS then asks the file system for it on
 * every render (5.8% of a tenant page's CPU, docs/performance.md).
 */
function templates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    return e.isDirectory() ? templates(file) : file.endsWith('.ejs') ? [file] : [];
  });
}

describe('views', () => {
  it('include partials by their path from the views folder', () => {
    const root = path.join(__dirname, '..', '..');
    const files = [...templates(path.join(root, 'views')), ...templates(path.join(root, 'bench'))];
    expect(files.length).toBeGreaterThan(50);
    const relative = files.flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/include\(([^,)]*)/g)]
        // The first argument: a path literal, or an expression whose path literals (those naming a folder
        // or a partial) all start at the root. One with no path literal at all cannot be checked: reported.
        .filter((m) => {
          const paths = [...m[1].matchAll(/'([^']*)'/g)].map((l) => l[1]).filter((l) => /[/_]/.test(l));
          return paths.length === 0 || paths.some((l) => !l.startsWith('/'));
        })
        .map((m) => `${path.relative(root, file)}: include(${m[1]}`),
    );
    expect(relative).toEqual([]);
  });
});

#!/usr/bin/env node
/* Compiles the server's TypeScript to JavaScript in dist/, what `npm start` runs (docs/decisions.md 142).

   Each .ts file of src/, migrations/ and seeds/ (and any file named on the command line) becomes one .js
   file at the same path under dist/, with a source map beside it: esbuild's transform of one file, as tsx
   does it when it loads the file, without tsx's loader in the server. Other files of those folders (the
   reference data in seeds/*.json, the suggestion model's training notes) are copied beside them. The views,
   stylesheets and scripts are read from the project's folders (src/root.ts). dist/ is rebuilt whole each
   time: under a second for the ~250 files.

   node scripts/build.js [--out DIR] [FILE.ts ...] */
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('esbuild');

const ROOT = path.resolve(__dirname, '..');
const FOLDERS = ['src', 'migrations', 'seeds'];
// The project's compiler options (strict mode, ES2022 class fields), as tsx hands them to esbuild.
const TSCONFIG = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'));

function compile(file, out) {
  const rel = path.relative(ROOT, file);
  const target = path.join(out, rel).replace(/\.ts$/, '.js');
  const { code, map } = transformSync(fs.readFileSync(file, 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    tsconfigRaw: TSCONFIG,
    sourcemap: 'external',
    sourcefile: path.relative(path.dirname(target), file),
  });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, `${code}//# sourceMappingURL=${path.basename(target)}.map\n`);
  fs.writeFileSync(`${target}.map`, map);
}

function walk(dir, out) {
  let files = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) files += walk(file, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      compile(file, out);
      files++;
    } else {
      const target = path.join(out, path.relative(ROOT, file));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(file, target);
    }
  }
  return files;
}

/** Builds into `out` (default dist/); returns how many files were compiled. */
function build({ out = path.join(ROOT, 'dist'), extra = [] } = {}) {
  fs.rmSync(out, { recursive: true, force: true });
  let files = 0;
  for (const folder of FOLDERS) files += walk(path.join(ROOT, folder), out);
  for (const file of extra) {
    compile(path.resolve(file), out);
    files++;
  }
  return files;
}

module.exports = { build };

if (require.main === module) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  const out = at >= 0 ? path.resolve(args.splice(at, 2)[1]) : undefined;
  const started = process.hrtime.bigint();
  const files = build({ out, extra: args });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(
    `build: ${files} files compiled to ${path.relative(process.cwd(), out ?? path.join(ROOT, 'dist')) || '.'} in ${Math.round(ms)} ms`,
  );
}

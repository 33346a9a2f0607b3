import fs from 'node:fs';
import path from 'node:path';

/**
 * The project's folder, the one holding package.json: views/, public/ and node_modules/ are read from
 * there whether this code runs from src/ (tsx, jest, the CLI) or from dist/src/ (`npm start`,
 * scripts/build.js).
 */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const ROOT = projectRoot(__dirname);

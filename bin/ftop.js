#!/usr/bin/env node
// The package's `ftop` bin: registers tsx's CommonJS loader, then runs the TypeScript CLI in place.
require('tsx/cjs');
const { main } = require('../src/cli.ts');

main(process.argv).then((code) => {
  process.exitCode = code;
});

#!/usr/bin/env node
// Runs a TypeScript tool of this repo (`node tools/run-ts.js tools/x.ts args…`) without a build step:
// ts-node transpiles only (types are checked by `npm run typecheck`), tsconfig-paths resolves @app/*.
const path = require('node:path');
process.env.TS_NODE_TRANSPILE_ONLY = 'true';
process.env.TS_NODE_PROJECT = path.join(__dirname, '..', 'tsconfig.json');
require('ts-node/register');
require('tsconfig-paths/register');
const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node tools/run-ts.js <script.ts> [args…]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(script), ...args];
require(path.resolve(script));

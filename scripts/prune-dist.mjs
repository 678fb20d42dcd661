#!/usr/bin/env node
// After `tsc`, removes from the package's dist/ every compiled file whose source in src/ is
// gone (tsc never deletes), so that a renamed or deleted module is neither packed nor loaded.
// Run from a package folder: `tsc -p tsconfig.build.json && node ../../scripts/prune-dist.mjs`.
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const dist = join(process.cwd(), 'dist');
const src = join(process.cwd(), 'src');
const COMPILED = /\.(d\.ts|js)$/;

function prune(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const rel = relative(dist, path);
    if (entry.isDirectory()) {
      prune(path);
      if (readdirSync(path).length === 0) rmdirSync(path);
    } else if (COMPILED.test(entry.name) && !existsSync(join(src, rel.replace(COMPILED, '.ts')))) {
      rmSync(path);
    }
  }
}

if (existsSync(dist)) prune(dist);

#!/usr/bin/env node
// The `kops-iam` command (package.json "bin"). It runs the bundled command, bundle/kops-iam.js,
// which `npm run build` makes in the repository and which the published package ships. This file
// is committed so that `npm ci` links the command before anything is built.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file, run by node as it is */
const { existsSync } = require('node:fs');
const { dirname, join } = require('node:path');

// `npx kops-iam` (npm exec) runs its command in the folder of the nearest package.json, not where it
// was typed: in a subfolder of a project, `npx kops-iam synth cluster.yaml` would look for
// cluster.yaml in the wrong place. npm passes the folder it was run from as INIT_CWD; go back there.
const env = process.env;
if (env.npm_lifecycle_event === 'npx' && env.INIT_CWD && env.npm_package_json && process.cwd() === dirname(env.npm_package_json)) {
  try {
    process.chdir(env.INIT_CWD);
  } catch {
    // a folder gone meanwhile: stay where npm put us
  }
}

const bundle = join(__dirname, '..', 'bundle', 'kops-iam.js');
if (existsSync(bundle)) {
  // KOPS_IAM_DEBUG prints the trace of an internal error: with the source map, at the sources' lines
  // (Node maps only the files its own loader compiled: then without the code cache).
  if (process.env.KOPS_IAM_DEBUG) {
    process.setSourceMapsEnabled(true);
    require('node:module')._load(bundle, null, true);
  } else {
    // As the main module, exactly as `node bundle/kops-iam.js` would run it; `synth` with the code
    // cache that holds cdktf's code, every other command with the smaller one (scripts/code-cache.mjs).
    const cache = process.argv[2] === 'synth' ? `${bundle}.cache` : `${bundle}.validate.cache`;
    require('./code-cache.js').runBundle(bundle, cache);
  }
} else {
  process.stderr.write(
    `kops-iam: the command is not built yet (${bundle} is missing).\n` +
      'Run `npm run build` in the repository root (after `npm ci`), then run kops-iam again.\n',
  );
  process.exitCode = 70;
}

#!/usr/bin/env node
// The `kops-iam` command (package.json "bin"). It runs the bundled command, bundle/kops-iam.js,
// which `npm run build` makes in the repository and which the published package ships. This file
// is committed so that `npm ci` links the command before anything is built.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file, run by node as it is */
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'bundle', 'kops-iam.js');
if (existsSync(bundle)) {
  // As the main module, exactly as `node bundle/kops-iam.js` would run it.
  require('node:module')._load(bundle, null, true);
} else {
  process.stderr.write(
    `kops-iam: the command is not built yet (${bundle} is missing).\n` +
      'Run `npm run build` in the repository root (after `npm ci`), then run kops-iam again.\n',
  );
  process.exitCode = 70;
}

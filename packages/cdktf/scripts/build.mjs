#!/usr/bin/env node
// Builds @kops-iam/cdktf into dist/: the construct modules as apps/kops-iam compiled them
// (KopsIamRoles, ClusterStack and what they import from their own folder, with their
// declaration files), and an index that also re-exports @kops-iam/core, whose loadPlans
// gives the plans the construct renders. The construct's source stays in apps/kops-iam/src,
// where the command and its tests use it; this package ships the same compiled files.
//
// Every other module they import must be a dependency or peer dependency of this package,
// or a Node built-in: the build fails otherwise.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { moduleClosure, packageOf } from '../../../apps/kops-iam/scripts/module-closure.mjs';

const pkgDir = join(import.meta.dirname, '..');
const from = join(pkgDir, '..', '..', 'apps', 'kops-iam', 'dist');
const out = join(pkgDir, 'dist');
const ENTRIES = ['kops-iam-roles', 'cluster-stack'];

const INDEX_JS = `"use strict";
// @kops-iam/cdktf: the KopsIamRoles construct and ClusterStack, and @kops-iam/core's API.
Object.defineProperty(exports, "__esModule", { value: true });
const core = require("@kops-iam/core");
for (const name of Object.keys(core)) {
    if (name !== "default") Object.defineProperty(exports, name, { enumerable: true, get: () => core[name] });
}
const roles = require("./kops-iam-roles");
Object.defineProperty(exports, "KopsIamRoles", { enumerable: true, get: () => roles.KopsIamRoles });
const stack = require("./cluster-stack");
Object.defineProperty(exports, "ClusterStack", { enumerable: true, get: () => stack.ClusterStack });
Object.defineProperty(exports, "AWS_PROVIDER_REQUIREMENT", { enumerable: true, get: () => stack.AWS_PROVIDER_REQUIREMENT });
`;

const INDEX_DTS = `export * from '@kops-iam/core';
export { KopsIamRoles, type KopsIamRolesProps, type KopsIamRole } from './kops-iam-roles';
export { ClusterStack, AWS_PROVIDER_REQUIREMENT, type ClusterStackOptions } from './cluster-stack';
`;

const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const allowed = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);

rmSync(out, { recursive: true, force: true });
let count = 0;
for (const ext of ['.js', '.d.ts']) {
  const { files, external } = moduleClosure(from, ENTRIES, ext);
  for (const spec of external) {
    const name = packageOf(spec);
    if (!allowed.has(name) && !builtinModules.includes(name.replace(/^node:/, ''))) {
      throw new Error(`@kops-iam/cdktf: the construct imports '${spec}', which is neither a dependency nor a peer dependency`);
    }
  }
  for (const file of files) {
    mkdirSync(dirname(join(out, file)), { recursive: true });
    copyFileSync(join(from, file), join(out, file));
  }
  count += files.length;
}
writeFileSync(join(out, 'index.js'), INDEX_JS);
writeFileSync(join(out, 'index.d.ts'), INDEX_DTS);
process.stdout.write(`@kops-iam/cdktf: ${count} files from apps/kops-iam/dist, and index.js, index.d.ts\n`);

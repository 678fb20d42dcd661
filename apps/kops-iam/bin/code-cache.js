'use strict';
// Loading the bundle with a V8 code cache (bundle/kops-iam.js.cache or .validate.cache, made by `npm run build`):
// V8 then skips compiling the 0.9 MB bundle and the functions a run uses, about 25 ms of a
// 0.21 s `kops-iam synth` (Node 20 has no module.enableCompileCache). A cache that does not
// fit (another Node or V8 version, other V8 flags, another bundle) is rejected by V8 itself,
// and the bundle is compiled as usual: the same program either way.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file, run by node as it is */
const { existsSync, readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

/**
 * The source V8 compiles for the bundle: CommonJS's wrapper around the file's text, its `#!`
 * line kept as a comment of the same length (columns stay those of the source map).
 */
function bundleWrapper(text) {
  return Module.wrap(text.replace(/^#!/, '//'));
}

/**
 * Compiles the bundle's text (with `cachedData`, V8's code cache, when given) and runs it as
 * `module`'s code, as Node's CommonJS loader would: what the launcher and the warm-up that
 * makes the cache (scripts/code-cache-warm-up.cjs) both do, so that V8 accepts the cache.
 */
function runBundleText(text, module, cachedData) {
  const filename = module.filename;
  const script = new Script(bundleWrapper(text), { filename, cachedData });
  const run = script.runInThisContext();
  run.call(module.exports, module.exports, Module.createRequire(filename), module, filename, dirname(filename));
  return script;
}

/**
 * Runs `bundle` as the main module, as `node bundle` would, compiled with the code cache
 * `cacheFile` when there is one. Node's loader does everything else (require.main, the
 * module's id, paths and cache); only the compilation of that one file is ours.
 */
function runBundle(bundle, cacheFile) {
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const compile = Module.prototype._compile;
  if (cachedData !== undefined) {
    Module.prototype._compile = function compileBundle(content, filename, ...rest) {
      if (filename !== bundle) return compile.call(this, content, filename, ...rest);
      Module.prototype._compile = compile;
      runBundleText(content, this, cachedData);
    };
  }
  try {
    Module._load(bundle, null, true);
  } finally {
    Module.prototype._compile = compile;
  }
}

/**
 * The bundle compiled (with `cachedData`, a code cache, when given) and run as a module of its
 * own, not the main one: its module and V8 script. How a synth worker thread loads it, and how
 * the warm-up that makes the caches does (scripts/code-cache-warm-up.cjs).
 */
function compileBundleModule(bundle, cachedData) {
  const module_ = new Module(bundle, null);
  module_.filename = bundle;
  module_.paths = Module._nodeModulePaths(dirname(bundle));
  return { module: module_, script: runBundleText(readFileSync(bundle, 'utf8'), module_, cachedData) };
}

/**
 * The bundle's exports, compiled with the code cache `cacheFile` when there is one: how a synth
 * worker thread loads it (bundle/synth-worker.js). With KOPS_IAM_DEBUG, a plain require, as the
 * launcher does (for source-mapped traces).
 */
function loadBundle(bundle, cacheFile) {
  if (process.env.KOPS_IAM_DEBUG || !existsSync(cacheFile)) return require(bundle);
  return compileBundleModule(bundle, readFileSync(cacheFile)).module.exports;
}

module.exports = { compileBundleModule, loadBundle, runBundle, runBundleText };

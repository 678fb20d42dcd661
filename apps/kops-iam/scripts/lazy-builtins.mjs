// An esbuild plugin of bundle.mjs: Node built-in modules that cdktf and constructs require as they
// load, and that a synth calls seldom or never, are loaded on first use instead.
//
//   child_process  cdktf runs `terraform version` and copies assets with it; kops-iam does neither.
//   crypto         hashes for construct addresses and unique ids, which kops-iam's names never ask
//                  for (0 calls in a synth; terraform-names.ts requires it only when labels clash).
//   assert         cdktf asserts on every element; the real module is needed only to throw.
//
// Each costs a thread that loads it 1–10 ms (child_process with net and dgram, crypto with its
// 15 internal modules): in a worker thread, 20 ms before its first part of a large input; in a
// one-cluster synth, 9 ms. The main thread of a synth still loads crypto, for its run token.

/**
 * Who gets a stand-in: cdktf and constructs, whose CommonJS requires read a property at each
 * use. (An ES import of a bundled module copies its properties as it loads, which would load it.)
 */
const IMPORTERS = /[\\/]node_modules[\\/](cdktf|constructs)[\\/]/;
const NAMESPACE = 'kops-iam-lazy-builtin';

/** Builtins the bundle must have replaced at least once each (else cdktf changed: look again). */
const EXPECTED = ['assert', 'child_process', 'crypto'];

/**
 * The stand-in: every property read loads the real module and reads it. An `assert` call, or
 * `assert.ok`, with a truthy value returns at once, as the real one does; with any other it is
 * the real one's (which throws).
 */
function standIn(name) {
  const load = `const load = () => require(${JSON.stringify(`node:${name}`)});`;
  if (name !== 'assert') return `${load}\nmodule.exports = new Proxy({}, { get: (_, key) => load()[key] });\n`;
  return `${load}
function ok(value, ...rest) {
  if (!value) return load().ok(value, ...rest);
}
module.exports = new Proxy(ok, { get: (target, key) => (key === 'ok' ? target : load()[key]) });
`;
}

export const lazyBuiltins = {
  name: 'kops-iam-lazy-builtins',
  setup(build) {
    const replaced = new Set();
    build.onResolve({ filter: /^(node:)?(assert|child_process|crypto)$/ }, (args) => {
      if (args.namespace !== 'file' || !IMPORTERS.test(args.importer)) return undefined;
      const name = args.path.replace(/^node:/, '');
      replaced.add(name);
      return { path: name, namespace: NAMESPACE };
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ contents: standIn(args.path), loader: 'js' }));
    build.onEnd((result) => {
      const missing = EXPECTED.filter((name) => !replaced.has(name));
      if (result.errors.length === 0 && missing.length > 0)
        throw new Error(`bundle: nothing required ${missing.join(', ')} to defer (did cdktf change?)`);
    });
  },
};

'use strict';
// Run by code-cache.mjs in a plain `node` (the V8 flags of the launcher, bin/kops-iam.js):
// compiles the bundle exactly as the launcher does, runs the commands ARGV[0] names
// (comma-separated: `synth`, `validate`) once on fixed inputs so that V8 compiles the functions
// they use, then writes V8's code cache of the bundle ARGV[1] to ARGV[2]. The commands run as a
// library (not as the main module): no V8 flag changes, no process exit. ARGV[0] `worker` makes
// the cache of the synth worker threads: the bundle compiled again after setting the V8 flags a
// large synth sets before it starts them (the bundle's V8_FLAGS), then `synth` run.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file, run by node as it is */
const { mkdtempSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { setFlagsFromString } = require('node:v8');
const { compileBundleModule } = require('../bin/code-cache.js');

const [what, bundle, cacheFile, ...inputs] = process.argv.slice(2);

let { script, module: module_ } = compileBundleModule(bundle);
let commands = what;
if (what === 'worker') {
  for (const flag of module_.exports.V8_FLAGS) setFlagsFromString(flag);
  ({ script, module: module_ } = compileBundleModule(bundle));
  commands = 'synth';
}

const work = mkdtempSync(join(tmpdir(), 'kops-iam-code-cache-'));
const io = { stdout() {}, stderr() {}, interactive: false, env: {}, cwd: work };
(async () => {
  try {
    const runs = commands.split(',').map((command) => (command === 'synth' ? [command, ...inputs, '--out', 'out'] : [command, ...inputs]));
    for (const argv of runs) {
      const code = await module_.exports.run(argv, io);
      if (code !== 0) throw new Error(`warm-up: kops-iam ${argv.join(' ')} exited ${code}`);
    }
    writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
    renameSync(`${cacheFile}.tmp`, cacheFile);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
})().catch((e) => {
  process.stderr.write(`code cache: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});

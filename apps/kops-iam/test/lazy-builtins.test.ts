// The bundle's deferred built-in modules (scripts/lazy-builtins.mjs), on a bundle of its own:
// a module placed as cdktf's requires assert, child_process and crypto as cdktf does.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
let bundle: string;

const CDKTF_LIKE = `'use strict';
const assert = require('assert');
const assert_1 = require('assert');
const child_process_1 = require('child_process');
const crypto = require('crypto');
const loaded = (m) => process.moduleLoadList.includes('NativeModule ' + m);
exports.loaded = () => ({ assert: loaded('assert'), child_process: loaded('child_process'), crypto: loaded('crypto') });
exports.check = (v) => assert(v, 'checked');
exports.checkOk = (v) => (0, assert_1.ok)(v, 'ok-checked');
exports.sha1 = (t) => crypto.createHash('sha1').update(t).digest('hex');
exports.execFileSync = () => child_process_1.execFileSync;
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kops-iam-lazy-builtins-'));
  mkdirSync(join(dir, 'node_modules', 'cdktf', 'lib'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'cdktf', 'lib', 'element.js'), CDKTF_LIKE);
  writeFileSync(join(dir, 'entry.js'), "module.exports = require('./node_modules/cdktf/lib/element.js');\n");
  // @ts-expect-error: a build script, in plain JavaScript without declarations
  const { lazyBuiltins } = (await import('../scripts/lazy-builtins.mjs')) as { lazyBuiltins: esbuild.Plugin };
  bundle = join(dir, 'bundle.js');
  await esbuild.build({
    entryPoints: [join(dir, 'entry.js')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    plugins: [lazyBuiltins],
    logLevel: 'silent',
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `body` in a fresh process with the bundle as `m`, and returns what it prints as JSON. */
function inFreshProcess(body: string): unknown {
  const script = `const m = require(${JSON.stringify(bundle)}); const out = []; ${body}; process.stdout.write(JSON.stringify(out));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

describe('lazyBuiltins', () => {
  it('loads none of the three as the requiring module loads, nor for an assertion that holds', () => {
    expect(inFreshProcess('out.push(m.loaded()); m.check(1); m.checkOk("x"); out.push(m.loaded())')).toEqual([
      { assert: false, child_process: false, crypto: false },
      { assert: false, child_process: false, crypto: false },
    ]);
  });

  it("throws the real assert's AssertionError, with its message, for an assertion that fails (either form)", () => {
    const body = `for (const f of [m.check, m.checkOk]) for (const v of [0, '']) try { f(v); out.push('no throw'); }
      catch (e) { out.push([e.name, e.code, e.message]); }`;
    expect(inFreshProcess(body)).toEqual([
      ['AssertionError', 'ERR_ASSERTION', 'checked'],
      ['AssertionError', 'ERR_ASSERTION', 'checked'],
      ['AssertionError', 'ERR_ASSERTION', 'ok-checked'],
      ['AssertionError', 'ERR_ASSERTION', 'ok-checked'],
    ]);
  });

  it('hands over to the real module on first use', () => {
    const body = `out.push(m.sha1('kops'), typeof m.execFileSync(), m.loaded())`;
    expect(inFreshProcess(body)).toEqual([
      '5e37efab5fdf59c1c508780ce5e83a3219c981d9' /* sha1sum of 'kops' */,
      'function',
      { assert: false, child_process: true, crypto: true },
    ]);
  });
});

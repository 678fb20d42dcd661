import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { V8_FLAGS } from '../src/v8-flags';
import { v8Flags } from '../src/v8-tuning';

const TUNING = join(__dirname, '..', 'dist', 'v8-tuning.js');

describe('v8Flags', () => {
  it('turns parallel scavenging off only when the JavaScript threads take every CPU', () => {
    expect(v8Flags(2, 2)).toEqual([...V8_FLAGS, '--no-parallel-scavenge']);
    expect(v8Flags(4, 4)).toEqual([...V8_FLAGS, '--no-parallel-scavenge']);
    expect(v8Flags(1, 1)).toEqual([...V8_FLAGS, '--no-parallel-scavenge']);
    expect(v8Flags(4, 8)).toEqual(V8_FLAGS);
    expect(v8Flags(2, 3)).toEqual(V8_FLAGS);
  });
});

/**
 * The scavenges of a process that allocated 400 MB after tuneV8(jsThreads), as
 * --trace-gc-nvp reports them: the milliseconds V8's helper threads worked in each.
 */
function helperTimes(jsThreads: number): number[] {
  const script = `require(${JSON.stringify(TUNING)}).tuneV8(${jsThreads});
    let keep = []; for (let i = 0; i < 4e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 2e4) keep = []; }`;
  const r = spawnSync(process.execPath, ['--trace-gc-nvp', '-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const scavenges = r.stdout.split('\n').filter((line) => / gc=s /.test(line));
  expect(scavenges.length).toBeGreaterThan(10);
  return scavenges.map((line) => Number(/background\.scavenge\.parallel=([\d.]+)/.exec(line)?.[1]));
}

// Pins the workaround to the V8 that runs it: the flag, set once the process is running,
// takes effect (and does not crash V8, as --single-threaded-gc set at run time did).
describe('tuneV8, in a process of its own', () => {
  it('makes each thread scavenge alone when its threads fill the CPUs', () => {
    expect(helperTimes(availableParallelism()).every((ms) => ms === 0)).toBe(true);
  });

  it.runIf(availableParallelism() > 1)('leaves the helpers on when a CPU is to spare', () => {
    expect(helperTimes(1).some((ms) => ms > 0)).toBe(true);
  });
});

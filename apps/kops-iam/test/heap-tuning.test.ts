import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEAP_FLAGS } from '../src/heap-flags';
import { heapFlags } from '../src/heap-tuning';

const TUNING = join(__dirname, '..', 'dist', 'heap-tuning.js');

describe('heapFlags', () => {
  it('turns parallel scavenging off only when the JavaScript threads take every CPU', () => {
    expect(heapFlags(2, 2)).toEqual([...HEAP_FLAGS, '--no-parallel-scavenge']);
    expect(heapFlags(4, 4)).toEqual([...HEAP_FLAGS, '--no-parallel-scavenge']);
    expect(heapFlags(1, 1)).toEqual([...HEAP_FLAGS, '--no-parallel-scavenge']);
    expect(heapFlags(4, 8)).toEqual(HEAP_FLAGS);
    expect(heapFlags(2, 3)).toEqual(HEAP_FLAGS);
  });
});

/**
 * The scavenges of a process that allocated 400 MB after tuneHeap(jsThreads), as
 * --trace-gc-nvp reports them: the milliseconds V8's helper threads worked in each.
 */
function helperTimes(jsThreads: number): number[] {
  const script = `require(${JSON.stringify(TUNING)}).tuneHeap(${jsThreads});
    let keep = []; for (let i = 0; i < 4e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 2e4) keep = []; }`;
  const r = spawnSync(process.execPath, ['--trace-gc-nvp', '-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const scavenges = r.stdout.split('\n').filter((line) => / gc=s /.test(line));
  expect(scavenges.length).toBeGreaterThan(10);
  return scavenges.map((line) => Number(/background\.scavenge\.parallel=([\d.]+)/.exec(line)?.[1]));
}

// Pins the workaround to the V8 that runs it: the flag, set once the process is running,
// takes effect (and does not crash V8, as --single-threaded-gc set at run time did).
describe('tuneHeap, in a process of its own', () => {
  it('makes each thread scavenge alone when its threads fill the CPUs', () => {
    expect(helperTimes(availableParallelism()).every((ms) => ms === 0)).toBe(true);
  });

  it.runIf(availableParallelism() > 1)('leaves the helpers on when a CPU is to spare', () => {
    expect(helperTimes(1).some((ms) => ms > 0)).toBe(true);
  });
});

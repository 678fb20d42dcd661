import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { V8_FLAGS } from './v8-flags';

/**
 * Tunes V8 for a long `kops-iam synth`, before its `jsThreads` (main thread and workers) start.
 *
 * Memory: each stack's cdktf objects are garbage as soon as its JSON is written, but with
 * V8's defaults that garbage is collected late and the peak grows with the length of the run
 * (measured when clusters were streamed: 5,000 clusters peaked some 30 MiB above 1,000). A
 * smaller young generation and slower old-generation growth collect it sooner. Old-generation
 * growth 20% (was 35%): peak RSS at 5,000 many-addons clusters 209–212 MiB instead of
 * 220–254 MiB, for the same time within the noise.
 *
 * Compiling: V8 optimizes a function (TurboFan, on helper threads) once it has run for an
 * "interrupt budget" of bytecode. Each thread compiles its own copy of the same code, and on 2
 * CPUs the helpers take it from the JavaScript threads: TurboFan was 29% of the CPU time of
 * 1,000 many-addons clusters (perf, by thread), some 540 compilations and 77 deoptimizations
 * (--trace-opt). Six times V8's default budget (67,584) optimizes only the hottest code:
 * 1,000 clusters 3.22 → 2.91 s, CPU 5.98 → 5.35 s (medians of 10 alternating runs; 800,000:
 * 2.94 s, 1,600,000: 3.00 s); 5,000 clusters 10.5 → 10.8 s, well within linear.
 *
 * Set for the command-line process only, once a synth's input is large (PARALLEL_MIN_BYTES):
 * a program that embeds kops-iam keeps its own settings.
 */
export function tuneV8(jsThreads: number): void {
  for (const flag of v8Flags(jsThreads, availableParallelism())) setFlagsFromString(flag);
}

/**
 * V8_FLAGS, and `--no-parallel-scavenge` when the JavaScript threads alone keep every CPU
 * busy. A young-generation collection then waits for V8's helper threads, which get a CPU
 * only when the scheduler takes it from a JavaScript thread: on 2 CPUs (main thread and
 * one worker) scavenge pauses of 14–25 ms for 0.7–2 ms of work (--trace-gc-nvp). Each thread
 * collecting alone: GC pauses 1.02 → 0.90 s in 1,000 many-addons clusters, and the run
 * 3.44 → 3.29 s (medians of 15 alternating runs). With CPUs to spare, helpers stay on.
 * The flag is read at each scavenge, and V8 does not count it in a code cache's flag hash:
 * the workers' cache, made without it, stays valid (packaging-bundle.test.ts checks both).
 */
export function v8Flags(jsThreads: number, cpus: number): readonly string[] {
  return jsThreads >= cpus ? [...V8_FLAGS, '--no-parallel-scavenge'] : V8_FLAGS;
}

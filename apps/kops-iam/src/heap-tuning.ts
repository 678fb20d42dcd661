import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { HEAP_FLAGS } from './heap-flags';

/**
 * Keeps a long `kops-iam synth` near the memory of a short one. Each stack's cdktf objects
 * are garbage as soon as its JSON is written, but with V8's defaults that garbage is
 * collected late and the peak grows with the length of the run (measured when clusters
 * were streamed: 5,000 clusters peaked some 30 MiB above 1,000). A smaller young generation
 * and slower old-generation growth collect it sooner. Old-generation growth 20% (was 35%):
 * peak RSS at 5,000 many-addons clusters 209–212 MiB instead of 220–254 MiB, for the same
 * time within the noise (alternating runs; the worker threads, started later, get the same
 * flags). Set for the command-line process only, once a synth's input is large
 * (PARALLEL_MIN_BYTES), before its `jsThreads` (main thread and workers) start: a program
 * that embeds kops-iam keeps its own settings.
 */
export function tuneHeap(jsThreads: number): void {
  for (const flag of heapFlags(jsThreads, availableParallelism())) setFlagsFromString(flag);
}

/**
 * HEAP_FLAGS, and `--no-parallel-scavenge` when the JavaScript threads alone keep every CPU
 * busy. A young-generation collection then waits for V8's helper threads, which get a CPU
 * only when the scheduler takes it from a JavaScript thread: on 2 CPUs (main thread and
 * one worker) scavenge pauses of 14–25 ms for 0.7–2 ms of work (--trace-gc-nvp). Each thread
 * collecting alone: GC pauses 1.02 → 0.90 s in 1,000 many-addons clusters, and the run
 * 3.44 → 3.29 s (medians of 15 alternating runs). With CPUs to spare, helpers stay on.
 * The flag is read at each scavenge, and V8 does not count it in a code cache's flag hash:
 * the workers' cache, made without it, stays valid (packaging-bundle.test.ts checks both).
 */
export function heapFlags(jsThreads: number, cpus: number): readonly string[] {
  return jsThreads >= cpus ? [...HEAP_FLAGS, '--no-parallel-scavenge'] : HEAP_FLAGS;
}

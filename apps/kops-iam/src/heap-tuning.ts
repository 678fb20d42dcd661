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
 * (PARALLEL_MIN_BYTES): a program that embeds kops-iam keeps its own settings.
 */
export function tuneHeap(): void {
  for (const flag of HEAP_FLAGS) setFlagsFromString(flag);
}

// A worker thread's share of a fuzz run (see parallel.ts): runs the cases n with
// n % of === index and posts its report back. Compiled to JavaScript before it runs.
import { parentPort, workerData } from 'node:worker_threads';
import type { FuzzSeed } from './fuzz-case';
import { runFuzz, type FuzzOptions } from './fuzz-run';

// The seeds come parsed from the main thread (the golden cases are found relative to the sources).
const { options, seeds } = workerData as { options: FuzzOptions; seeds: FuzzSeed[] };
runFuzz(seeds, options).then(
  (report) => parentPort?.postMessage({ ...report, failures: [...report.failures] }),
  (e: unknown) => parentPort?.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
);

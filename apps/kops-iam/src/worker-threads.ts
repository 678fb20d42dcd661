import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';

/**
 * From this much input on, `kops-iam synth` also works in worker threads (about 150
 * clusters as kops prints them). A worker spends about 0.2 s loading cdktf before its
 * first stack; below this the main thread alone is as fast.
 */
export const PARALLEL_MIN_BYTES = 512 * 1024;

const WORKER_FILE = join(__dirname, 'synth-worker.js');

/** How many worker threads working on `inputBytes` of manifests uses: one per spare CPU, at most three. */
export function workersFor(inputBytes: number): number {
  // Only the built worker file can run in a thread (not the TypeScript source under a test runner).
  if (inputBytes < PARALLEL_MIN_BYTES || !existsSync(WORKER_FILE)) return 0;
  return Math.max(0, Math.min(availableParallelism() - 1, 3));
}

/**
 * A synth worker thread, started before the pool that uses it (the command starts its
 * workers before it reads the input, so that they load meanwhile): until the pool takes it,
 * it records what ended it, so that no failure goes unnoticed.
 */
export class StartedWorker {
  readonly worker = newWorker();
  private ended: unknown;
  private readonly onError = (e: unknown): void => {
    this.ended ??= e;
  };
  private readonly onExit = (code: number): void => {
    this.ended ??= new Error(`a synth worker stopped early (exit code ${code})`);
  };

  constructor() {
    this.worker.on('error', this.onError).on('exit', this.onExit);
  }

  /** Hands the worker over to listeners of the caller's own: what ended it meanwhile (undefined: it runs). */
  takeOver(): unknown {
    this.worker.off('error', this.onError).off('exit', this.onExit);
    return this.ended;
  }
}

/**
 * A synth worker thread. node:worker_threads (with Node's stream modules, 4 ms) is loaded
 * only here: a synth of a small input starts no worker.
 */
function newWorker(): Worker {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const threads = require('node:worker_threads') as typeof import('node:worker_threads');
  return new threads.Worker(WORKER_FILE, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
}

/** Starts `count` synth worker threads. */
export function startWorkers(count: number): StartedWorker[] {
  return Array.from({ length: count }, () => new StartedWorker());
}

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { InputFile } from '@kops-iam/core';
import type { ClusterStackOptions } from './cluster-stack';
import { readPart, type ReadDone } from './read-part';
import { stackOf, type StackItem, type StackResult } from './stack-item';
import type { ReadRequest, StackRequest, WorkerAnswer } from './synth-worker';

/**
 * From this much input on, `kops-iam synth` also works in worker threads (about 150
 * clusters as kops prints them). A worker spends about 0.2 s loading cdktf before its
 * first stack; below this the main thread alone is as fast.
 */
export const PARALLEL_MIN_BYTES = 512 * 1024;

/**
 * Clusters handed out at a time. Small, so that the threads finish together; a batch of
 * this thread takes about 10 ms, less than the two batches a worker has waiting.
 */
const BATCH = 4;

/** Batches a worker may have waiting: enough to stay busy while this thread does one of its own. */
const WORKER_QUEUE = 2;

const WORKER_FILE = join(__dirname, 'synth-worker.js');

/** How many worker threads working on `inputBytes` of manifests uses: one per spare CPU, at most three. */
export function workersFor(inputBytes: number): number {
  // Only the built worker file can run in a thread (not the TypeScript source under a test runner).
  if (inputBytes < PARALLEL_MIN_BYTES || !existsSync(WORKER_FILE)) return 0;
  return Math.max(0, Math.min(availableParallelism() - 1, 3));
}

/** How stacks are synthesized: cdktf's scratch folder and the stacks' options. */
export interface SynthTarget {
  readonly scratch: string;
  readonly options: ClusterStackOptions;
}

/** How {@link SynthPool.spread} does a batch on a worker and on this thread, and when it stops. */
interface Spread<T, R> {
  readonly onWorker: (thread: Thread, batch: T[]) => Promise<readonly R[]>;
  readonly here: (batch: T[]) => readonly R[];
  readonly tick: (n: number) => void;
  readonly stopped: () => boolean;
}

interface Thread {
  readonly worker: Worker;
  /** Who waits for this worker's next answer, in the order asked. */
  readonly waiting: { resolve: (a: WorkerAnswer) => void; reject: (e: unknown) => void }[];
}

/**
 * This thread and `count` worker threads. The workers start at once, so they load cdktf
 * while the input is still being read; they read parts of a large input (pass one), then
 * plan and synthesize clusters into stack texts. Nothing here writes files: the texts are
 * written once the whole input is known to be valid. The texts are the same bytes for any
 * number of threads.
 */
export class SynthPool {
  private readonly threads: Thread[] = [];
  private failure: unknown;

  constructor(count: number) {
    for (let i = 0; i < count; i += 1) {
      const thread: Thread = { worker: new Worker(WORKER_FILE, { resourceLimits: { maxYoungGenerationSizeMb: 8 } }), waiting: [] };
      thread.worker.on('message', (m: WorkerAnswer) => {
        const waiter = thread.waiting.shift();
        if (!('failed' in m)) waiter?.resolve(m);
        else {
          const e = Object.assign(new Error(`a synth worker failed: ${m.failed.message}`), { stack: m.failed.stack });
          waiter?.reject(e);
          this.fail(e);
        }
      });
      thread.worker.on('error', (e) => this.fail(e));
      thread.worker.on('exit', (code) => this.fail(new Error(`a synth worker stopped early (exit code ${code})`)));
      this.threads.push(thread);
    }
  }

  /** How many worker threads the pool has. */
  get workers(): number {
    return this.threads.length;
  }

  /**
   * Pass one of every part of the input, handed out one part at a time to whichever thread
   * is free (this one included, while the workers still load): what each part holds, in order.
   */
  read(parts: (readonly InputFile[] | undefined)[], featureFlags: string | undefined): Promise<ReadDone[]> {
    const onWorker = async (thread: Thread, batch: (readonly InputFile[])[]): Promise<ReadDone[]> => {
      const answer = await this.ask(thread, { read: batch[0] ?? [], featureFlags } satisfies ReadRequest);
      if (!('readDone' in answer)) throw new Error('a synth worker answered a read with something else');
      return [answer.readDone];
    };
    const here = (batch: (readonly InputFile[])[]): ReadDone[] => batch.map((part) => readPart(part, featureFlags));
    return this.spread(parts, 1, { onWorker, here, tick: () => undefined, stopped: () => false });
  }

  /**
   * The stack of every item, in the items' order: handed out a batch at a time to
   * whichever thread is free, this one included; `tick` counts stacks made. Rejects with
   * the first failure; stops handing out work once `stopped()`. Takes the items out of
   * `items` as it hands them out, so that a cluster's data is let go once its stack is made.
   */
  synthesize(
    target: SynthTarget,
    items: (StackItem | undefined)[],
    tick: (n: number) => void,
    stopped: () => boolean,
  ): Promise<StackResult[]> {
    const onWorker = async (thread: Thread, batch: StackItem[]): Promise<readonly StackResult[]> => {
      const answer = await this.ask(thread, { ...target, items: batch } satisfies StackRequest);
      if (!('stacks' in answer)) throw new Error('a synth worker answered with something else');
      return answer.stacks;
    };
    const here = (batch: StackItem[]): StackResult[] => batch.map((item) => stackOf(item, target.scratch, target.options));
    return this.spread(items, BATCH, { onWorker, here, tick, stopped });
  }

  /**
   * Work spread over the threads in batches, results in the items' order. Each worker keeps
   * up to WORKER_QUEUE batches in flight, so it never waits for this thread; this thread
   * works too, letting worker answers and signals in between its batches.
   */
  private async spread<T, R>(items: (T | undefined)[], batchSize: number, how: Spread<T, R>): Promise<R[]> {
    const results: R[] = new Array<R>(items.length);
    let next = 0;
    const more = (): boolean => next < items.length && !how.stopped() && this.failure === undefined;
    const take = (): [number, T[]] => {
      const at = next;
      next = Math.min(items.length, next + batchSize);
      const batch = items.slice(at, next) as T[];
      items.fill(undefined, at, next);
      return [at, batch];
    };
    const keep = (at: number, done: readonly R[]): void => {
      done.forEach((r, k) => (results[at + k] = r));
      how.tick(done.length);
    };
    const feed = async (thread: Thread): Promise<void> => {
      while (more()) {
        const [at, batch] = take();
        keep(at, await how.onWorker(thread, batch));
      }
    };
    const here = async (): Promise<void> => {
      while (more()) {
        const [at, batch] = take();
        keep(at, how.here(batch));
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    const feeders = this.threads.flatMap((t) => Array.from({ length: WORKER_QUEUE }, () => feed(t)));
    await Promise.all([...feeders, here()]);
    if (this.failure !== undefined) throw this.failure;
    return results;
  }

  /** Stops the workers. */
  async stop(): Promise<void> {
    const threads = this.threads.splice(0);
    for (const t of threads) t.worker.removeAllListeners('exit');
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private ask(thread: Thread, message: ReadRequest | StackRequest): Promise<WorkerAnswer> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const answer = new Promise<WorkerAnswer>((resolve, reject) => thread.waiting.push({ resolve, reject }));
    thread.worker.postMessage(message);
    return answer;
  }

  private fail(e: unknown): void {
    this.failure ??= e;
    for (const t of this.threads) for (const w of t.waiting.splice(0)) w.reject(this.failure);
  }
}

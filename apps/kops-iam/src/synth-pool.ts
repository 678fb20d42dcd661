import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { InputFile } from '@kops-iam/core';
import type { ClusterStackOptions } from './cluster-stack';
import { stackOf, type StackItem, type StackResult } from './stack-item';
import type { ReadDone, ReadRequest, StackRequest, WorkerAnswer } from './synth-worker';

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

  /** Pass one of a part of the input on each worker (`parts[i]` on worker i): what each read, in order. */
  read(parts: readonly (readonly InputFile[])[], featureFlags: string | undefined): Promise<ReadDone[]> {
    return Promise.all(
      parts.map(async (part, i) => {
        const thread = this.threads[i];
        if (thread === undefined) throw new Error(`no worker for part ${i}`);
        const answer = await this.ask(thread, { read: part, featureFlags } satisfies ReadRequest);
        if (!('readDone' in answer)) throw new Error('a synth worker answered a read with something else');
        return answer.readDone;
      }),
    );
  }

  /**
   * The stack of every item, in the items' order: handed out a batch at a time to
   * whichever thread is free, this one included; `tick` counts stacks made. Rejects with
   * the first failure; stops handing out work once `stopped()`.
   */
  async synthesize(
    target: SynthTarget,
    items: readonly StackItem[],
    tick: (n: number) => void,
    stopped: () => boolean,
  ): Promise<StackResult[]> {
    const results: StackResult[] = new Array<StackResult>(items.length);
    let next = 0;
    const take = (): [number, StackItem[]] => [next, items.slice(next, (next += BATCH))];
    const feed = async (thread: Thread): Promise<void> => {
      while (next < items.length && !stopped() && this.failure === undefined) {
        const [at, batch] = take();
        const answer = await this.ask(thread, { ...target, items: batch } satisfies StackRequest);
        if (!('stacks' in answer)) throw new Error('a synth worker answered with something else');
        answer.stacks.forEach((r, k) => (results[at + k] = r));
        tick(batch.length);
      }
    };
    const here = async (): Promise<void> => {
      while (next < items.length && !stopped() && this.failure === undefined) {
        const [at, batch] = take();
        batch.forEach((item, k) => (results[at + k] = stackOf(item, target.scratch, target.options)));
        tick(batch.length);
        await new Promise<void>((resolve) => setImmediate(resolve)); // lets worker answers and signals in
      }
    };
    // Each worker keeps up to WORKER_QUEUE batches in flight, so it never waits for this thread.
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

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { IamPlan, InputFile } from '@kops-iam/core';
import { asEnvironmentError, attempt } from './fs-problem';
import type { ClusterStackOptions } from './cluster-stack';
import { StackSynthesizer } from './stack-json';
import { writeStackJob, type StackJob } from './stack-job';
import type { ReadDone, ReadRequest, SynthBatch, SynthBatchDone } from './synth-worker';

/**
 * From this much input on, `kops-iam synth` also synthesizes in worker threads (about 150
 * clusters as kops prints them). A worker spends about 0.2 s loading cdktf before its
 * first stack; below this the main thread alone is as fast.
 */
export const PARALLEL_MIN_BYTES = 512 * 1024;

/**
 * Stacks handed out at a time. Small, so that the threads finish together; a batch of this
 * thread takes about 10 ms, less than the two batches a worker has waiting.
 */
const BATCH = 4;

/** Batches a worker may have waiting: enough to stay busy while this thread writes one of its own. */
const WORKER_QUEUE = 2;

const WORKER_FILE = join(__dirname, 'synth-worker.js');

/** How many worker threads synthesizing `inputBytes` of manifests uses: one per spare CPU, at most three. */
export function workersFor(inputBytes: number): number {
  // Only the built worker file can run in a thread (not the TypeScript source under a test runner).
  if (inputBytes < PARALLEL_MIN_BYTES || !existsSync(WORKER_FILE)) return 0;
  return Math.max(0, Math.min(availableParallelism() - 1, 3));
}

/** A plan and where its stack goes. */
export interface SynthWork {
  readonly plan: IamPlan;
  readonly job: StackJob;
}

/** Where stacks are synthesized (cdktf's App folder: the output folder, which exists) and how. */
export interface SynthTarget {
  readonly outdir: string;
  readonly options: ClusterStackOptions;
}

/** What a run of the pool reports to. */
interface RunHandlers {
  readonly done: (thread: Thread, count: number) => void;
  readonly fail: (e: unknown) => void;
}

interface Thread {
  readonly worker: Worker;
  queued: number;
}

/**
 * This thread and `count` worker threads writing stacks. The workers start at once, so
 * they load cdktf while the input is still being checked. Every stack is its own file,
 * whichever thread writes it: the output is the same bytes for any number of threads.
 */
export class SynthPool {
  private readonly threads: Thread[] = [];
  private handlers: RunHandlers | undefined;
  /** Who waits for each worker's ReadDone (one read per worker at a time). */
  private readonly readers = new Map<Thread, { resolve: (done: ReadDone) => void; reject: (e: unknown) => void }>();
  private failure: unknown;

  constructor(count: number) {
    for (let i = 0; i < count; i += 1) {
      const thread: Thread = { worker: new Worker(WORKER_FILE), queued: 0 };
      thread.worker.on('message', (m: SynthBatchDone) => {
        if ('readDone' in m) this.readers.get(thread)?.resolve(m.readDone);
        else if ('done' in m) this.handlers?.done(thread, m.done);
        else this.fail(workerError(m.failed));
      });
      thread.worker.on('error', (e) => this.fail(e));
      thread.worker.on('exit', (code) => this.fail(new Error(`a synth worker stopped early (exit code ${code})`)));
      this.threads.push(thread);
    }
  }

  /**
   * Synthesizes every plan and writes it to its job's temporary place; `tick` counts stacks
   * written. Work is handed out a batch at a time to whichever thread is free, this one
   * included. Rejects with the first failure; stops handing out work once `stopped()`.
   */
  run(target: SynthTarget, work: readonly SynthWork[], tick: (count: number) => void, stopped: () => boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let next = 0;
      let pending = 0;
      let hereBusy = true;
      const take = (): SynthWork[] => work.slice(next, (next += BATCH));
      const feed = (t: Thread): void => {
        for (; t.queued < WORKER_QUEUE && next < work.length && !stopped(); t.queued += 1, pending += 1) {
          t.worker.postMessage({ ...target, jobs: take() } satisfies SynthBatch);
        }
      };
      const settle = (): void => {
        if (!hereBusy && pending === 0 && next >= work.length) resolve();
      };
      this.handlers = {
        done: (t, count) => {
          t.queued -= 1;
          pending -= 1;
          tick(count);
          feed(t);
          settle();
        },
        fail: reject,
      };
      if (this.failure !== undefined) reject(this.failure);
      for (const t of this.threads) feed(t);
      this.runHere(target, take, tick, stopped).then(() => {
        hereBusy = false;
        settle();
      }, reject);
    });
  }

  /** This thread's share: a batch at a time, letting worker messages and signals in between. */
  private async runHere(
    target: SynthTarget,
    take: () => SynthWork[],
    tick: (count: number) => void,
    stopped: () => boolean,
  ): Promise<void> {
    let synthesizer: StackSynthesizer | undefined;
    for (let batch = take(); batch.length > 0 && !stopped() && this.failure === undefined; batch = take()) {
      synthesizer ??= new StackSynthesizer(target.outdir, target.options);
      for (const { plan, job } of batch) {
        const text = synthesizer.synthesize(plan);
        attempt('cannot write', job.file, () => writeStackJob(job, text));
      }
      tick(batch.length);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** How many worker threads the pool has. */
  get workers(): number {
    return this.threads.length;
  }

  /**
   * Pass one of a part of the input on each worker (`parts[i]` on worker i): what each read,
   * in the parts' order. Run while this thread reads its own part.
   */
  read(parts: readonly (readonly InputFile[])[], featureFlags: string | undefined): Promise<ReadDone[]> {
    return Promise.all(
      parts.map((part, i) => {
        const thread = this.threads[i];
        if (thread === undefined) return Promise.reject(new Error(`no worker for part ${i}`));
        if (this.failure !== undefined) return Promise.reject(this.failure);
        const done = new Promise<ReadDone>((resolve, reject) => this.readers.set(thread, { resolve, reject }));
        thread.worker.postMessage({ read: part, featureFlags } satisfies ReadRequest);
        return done.finally(() => this.readers.delete(thread));
      }),
    );
  }

  /** Stops the workers (a worker still writing would leave a temporary file behind a clean-up). */
  async stop(): Promise<void> {
    const threads = this.threads.splice(0);
    for (const t of threads) t.worker.removeAllListeners('exit');
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private fail(e: unknown): void {
    this.failure ??= e;
    this.handlers?.fail(this.failure);
    for (const r of this.readers.values()) r.reject(this.failure);
  }
}

/** A worker's failure as an error of this thread: a file-system one becomes an EnvironmentError. */
function workerError(failed: Extract<SynthBatchDone, { failed: unknown }>['failed']): unknown {
  const e = Object.assign(new Error(failed.message), { code: failed.code, stack: failed.stack });
  return failed.code === undefined
    ? new Error(`a synth worker failed: ${failed.message}`, { cause: e })
    : asEnvironmentError(e, 'cannot write', failed.path ?? '');
}

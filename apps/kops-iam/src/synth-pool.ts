import type { Worker } from 'node:worker_threads';
import type { InputFile } from '@kops-iam/core';
import { EnvironmentError } from './fs-problem';
import { readPart, type ReadDone } from './read-part';
import { PlanStore, type NumberedItem, type Planned, type StackItem, type StackWork, type SynthTarget } from './stack-item';
import type { WorkerAnswer, WorkerRequest } from './synth-worker';
import { HERE, StackQueues } from './stack-queues';
import { spread } from './work-spread';
import { startWorkers, type StartedWorker } from './worker-threads';

/**
 * Clusters handed out at a time. Small, so that the threads finish together; a batch of
 * this thread takes about 10 ms, less than the batches a worker has waiting.
 */
const BATCH = 4;

/**
 * Batches a worker may have in flight when planning and writing. Eight, not two: this
 * thread's own batch, or a collection in it, took longer than the worker's two, and the
 * worker waited (cpu profile: a worker idle 250 ms of the 0.5 s of planning 1,000 clusters,
 * and 10–18% of the writing). Not when reading: there the last parts would wait in a
 * worker's queue while this thread has nothing left to read.
 */
const QUEUE_AFTER_READING = 8;

/**
 * The most plans a run keeps until their stacks are made: a run of more clusters keeps
 * none, and plans each again as its stack is made (about 0.3 ms a cluster). A many-addons
 * plan takes some 20 KB against 13 KB for its cluster's manifests. Peak RSS at 5,000
 * clusters (heap growth 35% then): 300 MiB with every plan kept, 247 MiB with the first
 * 1,000 kept, 225–237 MiB with none kept, the rule here (216–217 MiB in `npm run bench`
 * with heap growth 20%).
 */
const PLANS_KEPT = 1000;

interface Thread {
  readonly worker: Worker;
  /** Who waits for this worker's next answer, in the order asked. */
  readonly waiting: { resolve: (a: WorkerAnswer) => void; reject: (e: unknown) => void }[];
}

/**
 * This thread and `count` worker threads. The workers start at once, so they load cdktf
 * while the input is still being read. A run has three steps, each spread over all threads:
 * reading parts of a large input (pass one); planning every cluster, each thread keeping
 * the plans it made; and, once the whole input is known to be valid and the output folder
 * is locked, synthesizing each plan on the thread that holds it (those not kept, on any
 * thread, planned again) and writing the stack to its temporary place. The stacks are the
 * same bytes for any number of threads.
 */
export class SynthPool {
  private readonly threads: Thread[] = [];
  private readonly store = new PlanStore();
  /** Which thread holds the kept plan of each item (`HERE`: this one). */
  private holders: (Thread | typeof HERE | undefined)[] = [];
  /**
   * Items kept here until their stacks are made: those whose plans are not kept, to plan them
   * again, and the others, so that a thread may take over another's last stacks (StackQueues).
   */
  private items: (StackItem | undefined)[] = [];
  private failure: unknown;

  /** `workers`: how many to start, or workers started already; `plansKept`: PLANS_KEPT, unless a test asks for fewer. */
  constructor(
    workers: number | readonly StartedWorker[],
    private readonly plansKept = PLANS_KEPT,
  ) {
    for (const started of typeof workers === 'number' ? startWorkers(workers) : workers) {
      const ended = started.takeOver();
      const thread: Thread = { worker: started.worker, waiting: [] };
      thread.worker.on('message', (m: WorkerAnswer) => {
        const waiter = thread.waiting.shift();
        if (!('failed' in m)) waiter?.resolve(m);
        else {
          const { message, stack, environment } = m.failed;
          // The worker lives on: the other threads' batches in flight still get their answers.
          waiter?.reject(
            environment ? new EnvironmentError(message) : Object.assign(new Error(`a synth worker failed: ${message}`), { stack }),
          );
        }
      });
      thread.worker.on('error', (e) => this.fail(e));
      thread.worker.on('exit', (code) => this.fail(new Error(`a synth worker stopped early (exit code ${code})`)));
      this.threads.push(thread);
      if (ended !== undefined) this.fail(ended);
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
  async read(parts: (readonly InputFile[])[], featureFlags: string | undefined): Promise<ReadDone[]> {
    const done: ReadDone[] = new Array<ReadDone>(parts.length);
    let next = 0;
    await spread<Thread, number>(this.threads, () => this.failure, {
      take: () => (next < parts.length ? next++ : undefined),
      onWorker: async (thread, at) => {
        done[at] = expect(await this.ask(thread, { read: parts[at] ?? [], featureFlags }), 'readDone');
        return 1;
      },
      here: (at) => {
        done[at] = readPart(parts[at] ?? [], featureFlags);
        return 1;
      },
    });
    return done;
  }

  /**
   * Plans every item, a batch at a time on whichever thread is free. Each plan stays on the
   * thread that made it; beyond PLANS_KEPT items, the plans are dropped. The items stay in
   * the pool until their stacks are made, to plan again what is not kept or taken over. What each
   * item's planning found, in the items' order. Takes the items out of `items` as it hands
   * them out. Stops handing out work once `stopped()`.
   */
  async plan(items: (StackItem | undefined)[], stopped: () => boolean): Promise<Planned[]> {
    const found: Planned[] = new Array<Planned>(items.length);
    this.holders = new Array<Thread | typeof HERE | undefined>(items.length);
    this.items = new Array<StackItem | undefined>(items.length);
    const kept = items.length <= this.plansKept;
    let next = 0;
    const keep = (who: Thread | typeof HERE, batch: readonly NumberedItem[], planned: readonly Planned[]): number => {
      batch.forEach(({ index, item }, k) => {
        found[index] = planned[k] as Planned;
        if (kept) this.holders[index] = who;
        this.items[index] = item;
      });
      return batch.length;
    };
    await spread<Thread, NumberedItem[]>(this.threads, () => this.failure, {
      take: () => {
        const batch: NumberedItem[] = [];
        for (; next < items.length && batch.length < BATCH; next += 1) batch.push({ index: next, item: items[next] as StackItem });
        items.fill(undefined, next - batch.length, next);
        return batch.length > 0 ? batch : undefined;
      },
      onWorker: async (thread, batch) => keep(thread, batch, expect(await this.ask(thread, { plan: batch, keep: kept }), 'planned')),
      here: (batch) => keep(HERE, batch, this.store.plan(batch, kept)),
      stopped,
      queue: QUEUE_AFTER_READING,
    });
    return found;
  }

  /**
   * Synthesizes each valid cluster's stack and writes it to its temporary place: a kept plan
   * on the thread that holds it, an item planned again on whichever thread is free; `tick`
   * counts stacks written. Stops handing out work once `stopped()`; rejects with the first
   * failure (an EnvironmentError when a file cannot be written), each time after every
   * batch in flight has ended, so that no write lands after the caller has cleaned up.
   */
  async write(work: readonly StackWork[], target: SynthTarget, tick: (n: number) => void, stopped: () => boolean): Promise<void> {
    const queues = new StackQueues<Thread>(work, this.holders, this.items);
    this.items = [];
    await spread<Thread, StackWork[]>(this.threads, () => this.failure, {
      take: (who) => queues.take(who, BATCH),
      onWorker: async (thread, batch) => expect(await this.ask(thread, { write: batch, target }), 'wrote'),
      here: (batch) => this.store.write(batch, target),
      tick,
      stopped,
      queue: QUEUE_AFTER_READING,
    });
  }

  /** Lets go of the plans every thread holds: for a run that ends before writing them all. */
  async forget(): Promise<void> {
    this.store.clear();
    this.holders = [];
    this.items = [];
    if (this.failure === undefined) await Promise.all(this.threads.map((t) => this.ask(t, { clear: true }).catch(() => undefined)));
  }

  /** Stops the workers. */
  async stop(): Promise<void> {
    const threads = this.threads.splice(0);
    for (const t of threads) t.worker.removeAllListeners('exit');
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private ask(thread: Thread, message: WorkerRequest): Promise<WorkerAnswer> {
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

/** The part of a worker's answer a request expects; another answer is a bug. */
function expect<K extends 'readDone' | 'planned' | 'wrote'>(answer: WorkerAnswer, key: K): Extract<WorkerAnswer, Record<K, unknown>>[K] {
  if (!(key in answer)) throw new Error(`a synth worker answered with something else than ${key}`);
  return (answer as Extract<WorkerAnswer, Record<K, unknown>>)[key];
}

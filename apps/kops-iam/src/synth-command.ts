import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { IamPlan } from '@kops-iam/core';
import type { CliIO } from './cli';
import { OutputDirError, StagedOutputDir, writeStackFile } from './output-dir';
import { ProgressLine } from './progress';
import { StackSynthesizer } from './stack-json';
import type { SynthBatch, SynthBatchDone } from './synth-worker';

/**
 * From this much input on, `kops-iam synth` also synthesizes in worker threads (about 150
 * clusters as kops prints them). A worker spends about 0.2 s loading cdktf before its
 * first stack; below this the main thread alone is as fast.
 */
export const PARALLEL_MIN_BYTES = 512 * 1024;

/**
 * Plans a worker may have waiting. More would only hold memory; fewer would leave it idle
 * between two messages. When all workers are this busy, this thread synthesizes itself.
 */
const WORKER_QUEUE = 4;

const WORKER_FILE = join(__dirname, 'synth-worker.js');

/** How many worker threads synthesizing `inputBytes` of manifests uses: one per spare CPU, at most three. */
export function workersFor(inputBytes: number): number {
  // Only the built worker file can run in a thread (not the TypeScript source under a test runner).
  if (inputBytes < PARALLEL_MIN_BYTES || !existsSync(WORKER_FILE)) return 0;
  return Math.max(0, Math.min(availableParallelism() - 1, 3));
}

/** A synth worker thread and the plans it has not finished yet. */
interface SynthThread {
  readonly worker: Worker;
  queued: number;
}

/**
 * Writes stacks into a staged output folder as plans arrive, in this thread and in
 * `workers` worker threads; nothing reaches the output folder before {@link finish}.
 * Each plan goes to a worker with room in its queue, else is synthesized here: this
 * thread also reads the input, so the work balances itself. Every stack is its own file
 * and the manifest lists them in input order, so the output is the same bytes however
 * many threads wrote it.
 */
export class StackWriter {
  private readonly dir: StagedOutputDir;
  private readonly threads: SynthThread[] = [];
  private synthesizer: StackSynthesizer | undefined;
  private readonly written = new Set<string>();
  private failure: unknown;
  private idle: (() => void) | undefined;
  private interrupted = false;

  /** Opens the output folder (throws OutputDirError when it cannot be replaced) and starts the workers. */
  constructor(
    private readonly outDir: string,
    private readonly progress: ProgressLine,
    workers: number,
  ) {
    this.dir = new StagedOutputDir(outDir);
    if (workers === 0) return;
    // Made before any thread's cdktf App is: each App creates it if missing, without `recursive`, and two would race.
    mkdirSync(join(this.dir.stagingPath, 'stacks'), { recursive: true });
    for (let i = 0; i < workers; i += 1) {
      const thread: SynthThread = { worker: new Worker(WORKER_FILE), queued: 0 };
      thread.worker.on('message', (m: SynthBatchDone) => {
        thread.queued -= m.count;
        this.progress.tick(m.count);
        if (this.queued() === 0) this.idle?.();
      });
      thread.worker.on('error', (e) => this.fail(e));
      thread.worker.on('exit', (code) => this.fail(new Error(`kops-iam: a synth worker stopped early (exit code ${code})`)));
      this.threads.push(thread);
    }
  }

  /** Synthesizes and writes one cluster's stack; a second plan for a cluster replaces the first. */
  async add(plan: IamPlan): Promise<void> {
    if (this.threads.length > 0) {
      // Lets worker messages in: they say which worker has room.
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.check();
    }
    if (this.interrupted) await new Promise<never>(() => undefined);
    const again = this.written.has(plan.cluster);
    if (again) await this.drain(); // the first version may still be being written by a worker
    this.written.add(plan.cluster);
    const thread = again ? undefined : this.threads.find((t) => t.queued < WORKER_QUEUE);
    if (thread !== undefined) {
      thread.queued += 1;
      thread.worker.postMessage({ staging: this.dir.stagingPath, plans: [plan] } satisfies SynthBatch);
      return;
    }
    this.synthesizer ??= new StackSynthesizer(this.dir.stagingPath);
    writeStackFile(this.dir.stagingPath, plan.cluster, this.synthesizer.synthesize(plan));
    this.progress.tick();
  }

  /** Waits for the workers, lists `clusters` (every cluster added, in input order) in the manifest and swaps the folder in. */
  async finish(clusters: readonly string[]): Promise<void> {
    await this.drain();
    await this.stop();
    this.progress.done();
    for (const name of clusters) {
      if (!this.written.has(name)) throw new Error(`kops-iam: no stack was written for ${name}`);
      this.dir.adopt(name);
    }
    this.dir.commit();
  }

  /** Stops the workers and removes the staged folder: the output folder stays as it was. */
  async abandon(): Promise<void> {
    // Stopped first: a worker still writing would recreate the staging folder.
    await this.stop();
    this.progress.done();
    this.dir.abandon();
  }

  /**
   * For a process about to end on a signal: stops the workers and removes the staged folder.
   * Stacks added after this wait for the end of the process instead of being written.
   */
  async interrupt(): Promise<void> {
    this.interrupted = true;
    await this.abandon();
  }

  /** Where the stacks went, as the CLI reports it. */
  summary(clusters: readonly string[]): string {
    const n = clusters.length;
    return `wrote ${n} stack${n === 1 ? '' : 's'} to ${this.outDir}/stacks: ${n <= 5 ? clusters.join(', ') : `${clusters[0]}, … (${n})`}\n`;
  }

  private queued(): number {
    return this.threads.reduce((n, t) => n + t.queued, 0);
  }

  private async drain(): Promise<void> {
    while (this.queued() > 0 && this.failure === undefined) {
      await new Promise<void>((resolve) => {
        this.idle = resolve;
      });
    }
    this.idle = undefined;
    this.check();
  }

  private fail(e: unknown): void {
    this.failure ??= e;
    this.idle?.();
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private async stop(): Promise<void> {
    const threads = this.threads.splice(0);
    for (const t of threads) t.worker.removeAllListeners('exit');
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}

/** Opens a StackWriter, or gives the reason the output folder cannot be used. */
export function openStackWriter(outDir: string, io: CliIO, workers: number, expected?: number): StackWriter | OutputDirError {
  try {
    return new StackWriter(outDir, new ProgressLine(expected, io), workers);
  } catch (e) {
    if (!(e instanceof OutputDirError)) throw e;
    return e;
  }
}

/** Synthesizes every plan into `outDir`, all or nothing, with `workers` worker threads; returns the exit status. */
export async function synthToDir(plans: readonly IamPlan[], outDir: string, io: CliIO, workers = 0): Promise<number> {
  const writer = openStackWriter(outDir, io, workers, plans.length);
  if (writer instanceof OutputDirError) {
    io.stderr(`kops-iam: ${writer.message}\n`);
    return 2;
  }
  try {
    for (const plan of plans) await writer.add(plan);
    await writer.finish(plans.map((p) => p.cluster));
  } catch (e) {
    await writer.abandon();
    throw e;
  }
  io.stdout(writer.summary(plans.map((p) => p.cluster)));
  return 0;
}

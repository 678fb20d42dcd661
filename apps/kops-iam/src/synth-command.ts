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
 * From this many clusters on, `kops-iam synth` also synthesizes in worker threads. A worker
 * spends about 0.2 s loading cdktf before its first stack; below this the main thread
 * alone is as fast.
 */
export const PARALLEL_MIN_CLUSTERS = 200;

/** Stacks a worker is given at a time: large enough to keep it busy, small enough to end together. */
const WORKER_BATCH = 8;

const WORKER_FILE = join(__dirname, 'synth-worker.js');

/** How many worker threads a large synth uses: one per spare CPU, at most three. */
function workerCount(): number {
  // Only the built worker file can run in a thread (not the TypeScript source under a test runner).
  return existsSync(WORKER_FILE) ? Math.max(0, Math.min(availableParallelism() - 1, 3)) : 0;
}

/** `kops-iam synth`: every plan into `outDir`, in worker threads too when there are many; returns the exit status. */
export async function synthCommand(plans: readonly IamPlan[], outDir: string, io: CliIO): Promise<number> {
  const workers = plans.length >= PARALLEL_MIN_CLUSTERS ? workerCount() : 0;
  return workers > 0 ? synthToDirInParallel(plans, outDir, io, workers) : synthToDir(plans, outDir, io);
}

/** Synthesizes every plan into `outDir` in this thread, all or nothing; returns the exit status. */
export function synthToDir(plans: readonly IamPlan[], outDir: string, io: CliIO): number {
  const dir = openOutputDir(outDir, io);
  if (dir === undefined) return 2;
  const progress = new ProgressLine(plans.length, io);
  try {
    const synthesizer = new StackSynthesizer(dir.stagingPath);
    for (const plan of plans) {
      dir.writeStack(plan.cluster, synthesizer.synthesize(plan));
      progress.tick();
    }
    dir.commit();
  } catch (e) {
    dir.abandon();
    throw e;
  } finally {
    progress.done();
  }
  reportWritten(plans, outDir, io);
  return 0;
}

/**
 * Like {@link synthToDir}, with `workers` worker threads synthesizing next to this one.
 * Plans are handed out in small batches from one queue, so threads finish together;
 * every stack is written to its own file, and the manifest lists them in input order,
 * so the output is the same bytes as with one thread.
 */
export async function synthToDirInParallel(plans: readonly IamPlan[], outDir: string, io: CliIO, workers: number): Promise<number> {
  const dir = openOutputDir(outDir, io);
  if (dir === undefined) return 2;
  const progress = new ProgressLine(plans.length, io);
  let next = 0;
  const take = (n: number): IamPlan[] => {
    const batch = plans.slice(next, Math.min(plans.length, next + n));
    next += batch.length;
    return batch;
  };
  const threads: Worker[] = [];
  try {
    // Made before any thread's cdktf App is: each App creates it if missing, without `recursive`, and two would race.
    mkdirSync(join(dir.stagingPath, 'stacks'), { recursive: true });
    const finished: Promise<void>[] = [];
    for (let i = 0; i < workers; i += 1) {
      const worker = new Worker(WORKER_FILE);
      threads.push(worker);
      finished.push(
        new Promise<void>((resolve, reject) => {
          const feed = (): void => {
            const batch = take(WORKER_BATCH);
            if (batch.length === 0) resolve();
            else worker.postMessage({ staging: dir.stagingPath, plans: batch } satisfies SynthBatch);
          };
          worker.on('message', (m: SynthBatchDone) => {
            progress.tick(m.count);
            feed();
          });
          worker.on('error', reject);
          worker.on('exit', (code) => reject(new Error(`kops-iam: a synth worker stopped early (exit code ${code})`)));
          feed();
        }),
      );
    }
    // A failing worker must stop this thread's loop too, not only the final wait.
    let failure: unknown;
    const all = Promise.all(finished).catch((e: unknown) => {
      failure ??= e;
    });
    const synthesizer = new StackSynthesizer(dir.stagingPath);
    for (let batch = take(1); batch.length > 0 && failure === undefined; batch = take(1)) {
      const plan = batch[0] as IamPlan;
      writeStackFile(dir.stagingPath, plan.cluster, synthesizer.synthesize(plan));
      progress.tick();
      // Lets worker messages in: they carry the next batch request and the progress.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await all;
    if (failure !== undefined) throw failure;
    for (const plan of plans) dir.adopt(plan.cluster);
    dir.commit();
  } catch (e) {
    // Stopped first: a worker still writing would recreate the staging folder.
    await stopWorkers(threads);
    dir.abandon();
    throw e;
  } finally {
    await stopWorkers(threads);
    progress.done();
  }
  reportWritten(plans, outDir, io);
  return 0;
}

/** Ends worker threads (a no-op for those already ended). */
function stopWorkers(threads: readonly Worker[]): Promise<unknown> {
  return Promise.all(threads.map((t) => t.terminate()));
}

function openOutputDir(outDir: string, io: CliIO): StagedOutputDir | undefined {
  try {
    return new StagedOutputDir(outDir);
  } catch (e) {
    if (!(e instanceof OutputDirError)) throw e;
    io.stderr(`kops-iam: ${e.message}\n`);
    return undefined;
  }
}

function reportWritten(plans: readonly IamPlan[], outDir: string, io: CliIO): void {
  const n = plans.length;
  io.stdout(`wrote ${n} stack${n === 1 ? '' : 's'} to ${outDir}/stacks: ${n <= 5 ? plans.map((p) => p.cluster).join(', ') : `${plans[0]?.cluster}, … (${n})`}\n`);
}

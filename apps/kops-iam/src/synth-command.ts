import { resolve } from 'node:path';
import {
  parseFeatureFlags,
  prepareManifests,
  readManifests,
  Report,
  sortDiagnostics,
  type ClusterToPlan,
  type IamPlan,
  type InputFile,
} from '@kops-iam/core';
import type { CliIO } from './cli-io';
import type { ClusterStackOptions } from './cluster-stack';
import { Interrupted, InterruptWatch } from './interrupt';
import { outputDirProblem } from './output-check';
import { readOnThreads } from './parallel-load';
import { ProgressLine } from './progress';
import { reportDiagnostics } from './report-diagnostics';
import type { StackItem } from './stack-item';
import { ScratchFolder } from './scratch-folder';
import { SynthPool } from './synth-pool';
import { workersFor, type StartedWorker } from './worker-threads';
import { writeStacks } from './write-stacks';

export { PARALLEL_MIN_BYTES, workersFor } from './worker-threads';

/**
 * `kops-iam synth`: checks the output folder (creating nothing), reads, checks and plans
 * every cluster, and only when the whole input is valid makes and writes the stacks, each
 * written as soon as it is made. For a large input it works in worker threads too: `started`,
 * those the caller started before reading the input, so that they loaded cdktf meanwhile (the
 * caller stops them if this does not), else started here.
 */
export async function synthCommand(
  inputs: readonly InputFile[],
  inputBytes: number,
  out: string,
  io: CliIO,
  options: ClusterStackOptions = {},
  started?: readonly StartedWorker[],
): Promise<number> {
  const dir = io.cwd === undefined ? out : resolve(io.cwd, out);
  const problem = outputDirProblem(resolve(dir));
  if (problem !== undefined) {
    io.stderr(`kops-iam: ${problem}\n`);
    return 2;
  }
  const pool = new SynthPool(started ?? workersFor(inputBytes));
  try {
    const report = new Report();
    const items = await clustersToPlan(inputs, io.env.KOPS_FEATURE_FLAGS, pool, report);
    return await interruptible((watch, scratch) => synthAndWrite(items, report, { pool, scratch, options, watch }, dir, io));
  } finally {
    await pool.stop();
  }
}

/** Pass one (on the pool's threads too, when it has any) and pass two up to planning. */
async function clustersToPlan(
  inputs: readonly InputFile[],
  featureFlags: string | undefined,
  pool: SynthPool,
  report: Report,
): Promise<StackItem[]> {
  const read =
    pool.workers > 0
      ? await readOnThreads(inputs, featureFlags, pool, report)
      : readManifests(inputs, parseFeatureFlags(featureFlags), report);
  const clusters = await prepareManifests(read, report, inputs[0]?.name ?? '<input>');
  return clusters.map((toPlan: ClusterToPlan) => ({ toPlan }));
}

/**
 * Synthesizes the stacks of `plans` (valid, distinct clusters) and writes them into `dir`,
 * printing the summary; returns the exit status as {@link synthCommand} does. `workers` is
 * a number of worker threads to start, or a pool already started.
 */
export async function synthToDir(
  plans: readonly IamPlan[],
  dir: string,
  io: CliIO,
  workers: number | SynthPool = 0,
  options: ClusterStackOptions = {},
): Promise<number> {
  const pool = typeof workers === 'number' ? new SynthPool(workers) : workers;
  try {
    const items = plans.map((plan) => ({ plan }));
    return await interruptible((watch, scratch) => synthAndWrite(items, new Report(), { pool, scratch, options, watch }, dir, io));
  } finally {
    if (pool !== workers) await pool.stop();
  }
}

interface SynthRun {
  readonly pool: SynthPool;
  readonly scratch: string;
  readonly options: ClusterStackOptions;
  readonly watch: InterruptWatch;
}

/**
 * Plans every item (on the pool's threads), reports every problem, and only when there is
 * no error makes and writes the stacks, with progress.
 */
async function synthAndWrite(items: (StackItem | undefined)[], report: Report, run: SynthRun, dir: string, io: CliIO): Promise<number> {
  const { pool, watch } = run;
  const progress = new ProgressLine(items.length, io);
  try {
    const planned = await Promise.race([pool.plan(items, () => watch.stopped), watch.interrupted]);
    for (const p of planned) report.addAll(p.diagnostics);
    reportDiagnostics(sortDiagnostics(report.diagnostics), io);
    if (report.hasErrors) return 1;
    return await writeStacks(planned, dir, io, { pool, target: { scratch: run.scratch, options: run.options }, watch, progress });
  } finally {
    progress.done();
    await pool.forget();
  }
}

/**
 * Runs `work` with SIGINT, SIGTERM and SIGHUP caught and a scratch folder for cdktf. After
 * a signal the work stops, the scratch folder is removed, and the run ends with the signal
 * (its shell status returned to a host program that outlives it).
 */
async function interruptible(work: (watch: InterruptWatch, scratch: string) => Promise<number>): Promise<number> {
  const watch = new InterruptWatch();
  const scratch = new ScratchFolder();
  let status = 0;
  try {
    status = await work(watch, scratch.path);
  } catch (e) {
    if (!(e instanceof Interrupted)) {
      scratch.remove();
      watch.end(); // no handler outlives a bug
      throw e;
    }
  }
  scratch.remove();
  await watch.settle();
  return watch.end() ?? status;
}

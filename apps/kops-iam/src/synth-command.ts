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
import { SynthPool, workersFor } from './synth-pool';
import { writeTexts, written } from './write-stacks';

export { PARALLEL_MIN_BYTES, workersFor } from './synth-pool';

/**
 * `kops-iam synth`: checks the output folder (creating nothing), reads and checks every
 * cluster, plans and synthesizes them (into memory), and only when the whole input is valid
 * writes. Worker threads start first, to load cdktf while the input is read.
 */
export async function synthCommand(
  inputs: readonly InputFile[],
  inputBytes: number,
  out: string,
  io: CliIO,
  options: ClusterStackOptions = {},
): Promise<number> {
  const dir = io.cwd === undefined ? out : resolve(io.cwd, out);
  const problem = outputDirProblem(resolve(dir));
  if (problem !== undefined) {
    io.stderr(`kops-iam: ${problem}\n`);
    return 2;
  }
  const pool = new SynthPool(workersFor(inputBytes));
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

interface SynthTarget {
  readonly pool: SynthPool;
  readonly scratch: string;
  readonly options: ClusterStackOptions;
  readonly watch: InterruptWatch;
}

/** Plans and synthesizes every item with progress, reports every problem, and writes when there is no error. */
async function synthAndWrite(
  items: (StackItem | undefined)[],
  report: Report,
  target: SynthTarget,
  dir: string,
  io: CliIO,
): Promise<number> {
  const progress = new ProgressLine(items.length, io);
  try {
    const making = target.pool.synthesize(
      { scratch: target.scratch, options: target.options },
      items,
      (n) => progress.tick(n),
      () => target.watch.stopped,
    );
    const stacks = await Promise.race([making, target.watch.interrupted]);
    progress.done();
    for (const s of stacks) report.addAll(s.diagnostics);
    reportDiagnostics(sortDiagnostics(report.diagnostics), io);
    if (report.hasErrors) return 1;
    return await writeTexts(written(stacks), dir, io, target.watch);
  } finally {
    progress.done();
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

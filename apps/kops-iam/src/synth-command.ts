import { resolve } from 'node:path';
import { loadPlans, type IamPlan, type InputFile } from '@kops-iam/core';
import type { CliIO } from './cli-io';
import type { ClusterStackOptions } from './cluster-stack';
import { EnvironmentError } from './fs-problem';
import { Interrupted, InterruptWatch } from './interrupt';
import { outputDirProblem } from './output-check';
import { OutputDir } from './output-dir';
import type { LockWait } from './output-lock';
import { loadOnThreads } from './parallel-load';
import { ProgressLine } from './progress';
import { reportDiagnostics } from './report-diagnostics';
import type { StackJob } from './stack-job';
import { SynthPool, workersFor } from './synth-pool';

export { PARALLEL_MIN_BYTES, workersFor } from './synth-pool';

/** How long a run waits for another run's lock on the output folder by default (KOPS_IAM_LOCK_WAIT, seconds). */
const DEFAULT_LOCK_WAIT_S = 60;

/**
 * `kops-iam synth`: checks the output folder (creating nothing), checks and plans every
 * cluster, and only then writes. Worker threads start first, to load cdktf while the
 * input is checked.
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
    const featureFlags = io.env.KOPS_FEATURE_FLAGS;
    const result = pool.workers > 0 ? await loadOnThreads(inputs, featureFlags, pool) : await loadPlans(inputs, { featureFlags });
    reportDiagnostics(result.diagnostics, io);
    if (!result.ok) return 1;
    return await synthToDir(
      result.clusters.map((c) => c.plan),
      dir,
      io,
      pool,
      options,
    );
  } finally {
    await pool.stop();
  }
}

/**
 * Writes the stacks of `plans` (valid, distinct clusters) into `dir` and prints the summary;
 * returns the exit status: 0, or 2 with a one-line message when the folder cannot be
 * written (then no stack has changed). `workers` is a number of worker threads to start,
 * or a pool already started; `options` go to every stack.
 */
export async function synthToDir(
  plans: readonly IamPlan[],
  dir: string,
  io: CliIO,
  workers: number | SynthPool = 0,
  options: ClusterStackOptions = {},
): Promise<number> {
  const pool = typeof workers === 'number' ? new SynthPool(workers) : workers;
  const progress = new ProgressLine(plans.length, io);
  try {
    const signalled = await writeStacks(plans, { dir: resolve(dir), options }, io, pool, progress);
    if (signalled !== undefined) return signalled;
  } catch (e) {
    if (!(e instanceof EnvironmentError)) throw e;
    progress.print(`kops-iam: ${e.message}\n`);
    return 2;
  } finally {
    progress.done();
    if (pool !== workers) await pool.stop();
  }
  const clusters = plans.map((p) => p.cluster);
  io.stdout(summary(dir, clusters));
  return 0;
}

/**
 * Opens the folder, writes every stack beside its target, then renames them all into
 * place. A signal, a failure or a bug before the renames leaves every stack as it was.
 * After SIGINT, SIGTERM or SIGHUP the process ends with that signal once cleaned up;
 * returns its exit status for a host program that outlives it.
 */
async function writeStacks(
  plans: readonly IamPlan[],
  { dir, options }: { dir: string; options: ClusterStackOptions },
  io: CliIO,
  pool: SynthPool,
  progress: ProgressLine,
): Promise<number | undefined> {
  const output = await OutputDir.open(dir, lockWait(dir, io));
  const watch = new InterruptWatch();
  let jobs: StackJob[] = [];
  let committed = false;
  let status: number | undefined;
  try {
    jobs = output.jobsFor(plans.map((p) => p.cluster));
    const work = plans.map((plan, i) => ({ plan, job: jobs[i] as StackJob }));
    const run = pool.run(
      { outdir: dir, options },
      work,
      (n) => progress.tick(n),
      () => watch.stopped,
    );
    await Promise.race([run, watch.interrupted]);
    output.stageManifest(jobs);
    // No await from here on: a signal is either seen now or handled after the renames.
    if (!watch.stopped) output.commit(jobs);
    committed = !watch.stopped;
  } catch (e) {
    if (!(e instanceof Interrupted)) throw e;
  } finally {
    if (!committed) {
      await pool.stop(); // first: a worker still writing would leave a temporary file behind the clean-up
      output.discard(jobs);
    }
    output.release();
    progress.done();
    status = watch.end(); // also after a bug: no handler outlives the run
  }
  return status;
}

function lockWait(dir: string, io: CliIO): LockWait {
  const seconds = Number(io.env.KOPS_IAM_LOCK_WAIT ?? DEFAULT_LOCK_WAIT_S);
  return {
    timeoutMs: (Number.isFinite(seconds) && seconds >= 0 ? seconds : DEFAULT_LOCK_WAIT_S) * 1000,
    onWait: (holder) => io.stderr(`kops-iam: waiting for ${holder} to finish writing ${dir}\n`),
  };
}

/** Where the stacks went, as the command reports it (golden cases compare it). */
function summary(dir: string, clusters: readonly string[]): string {
  const n = clusters.length;
  return `wrote ${n} stack${n === 1 ? '' : 's'} to ${dir}/stacks: ${n <= 5 ? clusters.join(', ') : `${clusters[0]}, … (${n})`}\n`;
}

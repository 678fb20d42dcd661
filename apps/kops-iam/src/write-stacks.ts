import { resolve } from 'node:path';
import type { CliIO } from './cli-io';
import { EnvironmentError } from './fs-problem';
import type { InterruptWatch } from './interrupt';
import { OutputDir } from './output-dir';
import { LockWaitStopped, type LockWait } from './output-lock';
import type { ProgressLine } from './progress';
import type { Planned, SynthTarget } from './stack-item';
import type { StackJob } from './stack-job';
import type { SynthPool } from './synth-pool';

/** How long a run waits for another run's lock on the output folder by default (KOPS_IAM_LOCK_WAIT, seconds). */
const DEFAULT_LOCK_WAIT_S = 60;

/** What writing the stacks of a run uses: the pool that holds the plans, how stacks are made, the run's signals and progress. */
export interface StackWriting {
  readonly pool: SynthPool;
  readonly target: SynthTarget;
  readonly watch: InterruptWatch;
  readonly progress: ProgressLine;
}

/**
 * Makes and writes the stacks of a valid input into `dir` and prints the summary; the exit
 * status: 0, or 2 with a one-line message when the folder cannot be written (then no stack
 * has changed). After a signal no stack changes; the caller ends the run with it.
 */
export async function writeStacks(planned: readonly Planned[], dir: string, io: CliIO, run: StackWriting): Promise<number> {
  const clusters = planned.map((p) => {
    if (!p.planned) throw new Error(`internal error: no plan for ${p.cluster} in a valid input`);
    return p.cluster;
  });
  try {
    await stageAndCommit(clusters, resolve(dir), io, run);
  } catch (e) {
    if (e instanceof LockWaitStopped) return 0; // the caller ends the run with the signal
    if (!(e instanceof EnvironmentError)) throw e;
    run.progress.done();
    io.stderr(`kops-iam: ${e.message}\n`);
    return 2;
  }
  run.progress.done();
  if (!run.watch.stopped) io.stdout(summary(dir, clusters));
  return 0;
}

/**
 * Opens the folder, makes and writes every stack beside its target, then renames them all
 * into place (synchronously: no signal handler runs in between). A signal, a failure or a
 * bug before the renames leaves the folder as it was: the temporary stacks are removed,
 * and so are the folders this run created, when nothing else is in them.
 */
async function stageAndCommit(clusters: readonly string[], dir: string, io: CliIO, run: StackWriting): Promise<void> {
  const { pool, target, watch, progress } = run;
  const output = await OutputDir.open(dir, lockWait(dir, io, watch));
  let jobs: StackJob[] = [];
  let committed = false;
  try {
    if (watch.stopped) return;
    jobs = output.jobsFor(clusters);
    // The pool holds each cluster's plan under its item's index: its place in `planned`.
    await pool.write(
      jobs.map((job, index) => ({ index, job })),
      target,
      (n) => progress.tick(n),
      () => watch.stopped,
    );
    if (watch.stopped) return;
    output.stageManifest(jobs);
    output.commit(jobs);
    committed = true;
  } finally {
    if (!committed) output.discard(jobs);
    output.release();
    if (!committed) output.removeCreatedFolders();
  }
}

function lockWait(dir: string, io: CliIO, watch: InterruptWatch): LockWait {
  const seconds = Number(io.env.KOPS_IAM_LOCK_WAIT ?? DEFAULT_LOCK_WAIT_S);
  return {
    timeoutMs: (Number.isFinite(seconds) && seconds >= 0 ? seconds : DEFAULT_LOCK_WAIT_S) * 1000,
    onWait: (holder) => io.stderr(`kops-iam: waiting for ${holder} to finish writing ${dir}\n`),
    stopped: () => watch.stopped,
  };
}

/** Where the stacks went, as the command reports it (golden cases compare it). */
function summary(dir: string, clusters: readonly string[]): string {
  const n = clusters.length;
  return `wrote ${n} stack${n === 1 ? '' : 's'} to ${dir}/stacks: ${n <= 5 ? clusters.join(', ') : `${clusters[0]}, … (${n})`}\n`;
}

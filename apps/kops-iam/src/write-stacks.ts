import { resolve } from 'node:path';
import type { CliIO } from './cli-io';
import { attempt, EnvironmentError } from './fs-problem';
import type { InterruptWatch } from './interrupt';
import { OutputDir } from './output-dir';
import { LockWaitStopped, type LockWait } from './output-lock';
import { unpack, type StackResult } from './stack-item';
import { writeStackJob, type StackJob } from './stack-job';

/** How long a run waits for another run's lock on the output folder by default (KOPS_IAM_LOCK_WAIT, seconds). */
const DEFAULT_LOCK_WAIT_S = 60;

/** A cluster's stack, ready to write. */
export interface WrittenStack {
  readonly cluster: string;
  readonly packed: Uint8Array;
}

/** The stacks of a valid input: every one has its text (a plan without errors always does). */
export function written(stacks: readonly StackResult[]): WrittenStack[] {
  return stacks.map((s) => {
    if (s.packed === undefined) throw new Error(`internal error: no stack for ${s.cluster} in a valid input`);
    return { cluster: s.cluster, packed: s.packed };
  });
}

/**
 * Writes stack texts into `dir` and prints the summary; the exit status: 0, or 2 with a
 * one-line message when the folder cannot be written (then no stack has changed). After a
 * signal nothing is written; the caller ends the run with it.
 */
export async function writeTexts(stacks: readonly WrittenStack[], dir: string, io: CliIO, watch: InterruptWatch): Promise<number> {
  try {
    await writeStacks(stacks, resolve(dir), io, watch);
  } catch (e) {
    if (e instanceof LockWaitStopped) return 0; // the caller ends the run with the signal
    if (!(e instanceof EnvironmentError)) throw e;
    io.stderr(`kops-iam: ${e.message}\n`);
    return 2;
  }
  if (!watch.stopped)
    io.stdout(
      summary(
        dir,
        stacks.map((s) => s.cluster),
      ),
    );
  return 0;
}

/**
 * Opens the folder, writes every stack beside its target, then renames them all into
 * place. Writing is synchronous: a signal is handled before the first write or after the
 * last rename, and a failure or a bug before the renames leaves every stack as it was.
 */
async function writeStacks(stacks: readonly WrittenStack[], dir: string, io: CliIO, watch: InterruptWatch): Promise<void> {
  const output = await OutputDir.open(dir, lockWait(dir, io, watch));
  let jobs: StackJob[] = [];
  let committed = false;
  try {
    if (watch.stopped) return;
    jobs = output.jobsFor(stacks.map((s) => s.cluster));
    jobs.forEach((job, i) => attempt('cannot write', job.file, () => writeStackJob(job, unpack((stacks[i] as WrittenStack).packed))));
    output.stageManifest(jobs);
    output.commit(jobs);
    committed = true;
  } finally {
    if (!committed) output.discard(jobs);
    output.release();
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

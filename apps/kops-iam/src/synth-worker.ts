import { parentPort } from 'node:worker_threads';
import type { IamPlan } from '@kops-iam/core';
import type { ClusterStackOptions } from './cluster-stack';
import { errnoCode } from './fs-problem';
import { StackSynthesizer } from './stack-json';
import { writeStackJob, type StackJob } from './stack-job';

/** A batch of stacks for a worker to synthesize and write to their temporary places. */
export interface SynthBatch {
  /** The output folder, for cdktf's App (it exists, with its stacks/ folder: the App creates nothing). */
  readonly outdir: string;
  readonly options: ClusterStackOptions;
  readonly jobs: readonly { readonly plan: IamPlan; readonly job: StackJob }[];
}

/** A worker's answer: the batch is written, or why not (a file-system error keeps its code, for a one-line message). */
export type SynthBatchDone =
  | { readonly done: number }
  | { readonly failed: { readonly message: string; readonly code?: string; readonly path?: string; readonly stack?: string } };

// Runs only as a worker thread of a SynthPool; importing it elsewhere does nothing. cdktf
// is loaded as the thread starts (the import above), so a worker started while the main
// thread still checks the input is ready when the plans are.
const port = parentPort;
if (port !== null) {
  let synthesizer: StackSynthesizer | undefined;
  port.on('message', (batch: SynthBatch) => {
    try {
      synthesizer ??= new StackSynthesizer(batch.outdir, batch.options);
      for (const { plan, job } of batch.jobs) writeStackJob(job, synthesizer.synthesize(plan));
      port.postMessage({ done: batch.jobs.length } satisfies SynthBatchDone);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const failed = { message: String(err?.message ?? e), code: errnoCode(e), path: err?.path, stack: err?.stack };
      port.postMessage({ failed } satisfies SynthBatchDone);
    }
  });
}

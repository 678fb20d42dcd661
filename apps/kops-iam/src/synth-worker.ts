import { parentPort } from 'node:worker_threads';
import {
  parseFeatureFlags,
  readManifests,
  Report,
  type Diagnostic,
  type IamPlan,
  type InputFile,
  type ReadManifests,
} from '@kops-iam/core';
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

/** Parts of the input for a worker to read (pass one), while this thread reads others. */
export interface ReadRequest {
  readonly read: readonly InputFile[];
  readonly featureFlags: string | undefined;
}

/** What a worker read: plain data, cloned into this thread. */
export interface ReadDone {
  readonly manifests: ReadManifests;
  readonly diagnostics: readonly Diagnostic[];
}

/** A worker's answer: what it read, the batch is written, or why not (a file-system error keeps its code, for a one-line message). */
export type SynthBatchDone =
  | { readonly readDone: ReadDone }
  | { readonly done: number }
  | { readonly failed: { readonly message: string; readonly code?: string; readonly path?: string; readonly stack?: string } };

// Runs only as a worker thread of a SynthPool; importing it elsewhere does nothing. cdktf
// is loaded as the thread starts (the import above), so a worker started while the main
// thread still checks the input is ready when the plans are.
const port = parentPort;
if (port !== null) {
  let synthesizer: StackSynthesizer | undefined;
  port.on('message', (batch: SynthBatch | ReadRequest) => {
    try {
      if ('read' in batch) {
        const report = new Report();
        const manifests = readManifests(batch.read, parseFeatureFlags(batch.featureFlags), report);
        port.postMessage({ readDone: { manifests, diagnostics: report.diagnostics } } satisfies SynthBatchDone);
        return;
      }
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

import { parentPort } from 'node:worker_threads';
import type { IamPlan } from '@kops-iam/core';
import { writeStackFile } from './output-dir';
import { StackSynthesizer } from './stack-json';

/** A batch of plans for a worker to synthesize and write into the staging folder. */
export interface SynthBatch {
  readonly staging: string;
  readonly plans: readonly IamPlan[];
}

/** A worker's answer: that many stacks of its batch are written. */
export interface SynthBatchDone {
  readonly count: number;
}

// Runs only as a worker thread of a StackWriter; importing it elsewhere does nothing.
// cdktf is loaded as the thread starts (the import above), so a worker started while the
// main thread still reads the YAML is ready when the plans are.
const port = parentPort;
if (port !== null) {
  let synthesizer: StackSynthesizer | undefined;
  let folder: string | undefined;
  port.on('message', (batch: SynthBatch) => {
    if (synthesizer === undefined || folder !== batch.staging) {
      synthesizer = new StackSynthesizer(batch.staging);
      folder = batch.staging;
    }
    for (const plan of batch.plans) writeStackFile(batch.staging, plan.cluster, synthesizer.synthesize(plan));
    port.postMessage({ count: batch.plans.length } satisfies SynthBatchDone);
  });
}

import { parentPort } from 'node:worker_threads';
import type { ClusterToPlan, IamPlan, InputFile } from '@kops-iam/core';
import type { ClusterStackOptions } from './cluster-stack';
import { readPart, type ReadDone } from './read-part';
import { stackOf, type StackItem, type StackResult } from './stack-item';

/** Parts of the input for a worker to read (pass one), while this thread reads others. */
export interface ReadRequest {
  readonly read: readonly InputFile[];
  readonly featureFlags: string | undefined;
}

/** Clusters (to plan, or planned) for a worker to synthesize into stack texts. */
export interface StackRequest {
  /** A folder cdktf's App may treat as its own (it creates `stacks/` in it): a scratch folder, never the output. */
  readonly scratch: string;
  readonly options: ClusterStackOptions;
  readonly items: readonly StackItem[];
}

/** A worker's answer: what it read, the stacks of a request, or why it failed. */
export type WorkerAnswer =
  | { readonly readDone: ReadDone }
  | { readonly stacks: readonly StackResult[] }
  | { readonly failed: { readonly message: string; readonly stack?: string } };

export type { ClusterToPlan, IamPlan };

// Runs only as a worker thread of a SynthPool; importing it elsewhere does nothing. cdktf
// is loaded as the thread starts (through stack-item), so a worker started while the main
// thread still reads the input is ready when the clusters are.
const port = parentPort;
if (port !== null) {
  port.on('message', (m: ReadRequest | StackRequest) => {
    try {
      if ('read' in m) {
        port.postMessage({ readDone: readPart(m.read, m.featureFlags) } satisfies WorkerAnswer);
      } else {
        port.postMessage({ stacks: m.items.map((item) => stackOf(item, m.scratch, m.options)) } satisfies WorkerAnswer);
      }
    } catch (e) {
      const err = e as Error;
      port.postMessage({ failed: { message: String(err?.message ?? e), stack: err?.stack } } satisfies WorkerAnswer);
    }
  });
}

import { parentPort } from 'node:worker_threads';
import type { InputFile } from '@kops-iam/core';
import { EnvironmentError } from './fs-problem';
import { readPart, type ReadDone } from './read-part';
import { PlanStore, type NumberedItem, type Planned, type StackWork, type SynthTarget } from './stack-item';

/** Parts of the input for a worker to read (pass one), while this thread reads others. */
export interface ReadRequest {
  readonly read: readonly InputFile[];
  readonly featureFlags: string | undefined;
}

/** Clusters for a worker to plan; with `keep`, it keeps the plans for a later {@link WriteRequest}. */
export interface PlanRequest {
  readonly plan: readonly NumberedItem[];
  readonly keep: boolean;
}

/** Clusters the worker planned, to synthesize and write to their temporary places (the input is valid, the folder locked). */
export interface WriteRequest {
  readonly write: readonly StackWork[];
  readonly target: SynthTarget;
}

/** The run is over early: let go of the plans. */
export interface ClearRequest {
  readonly clear: true;
}

export type WorkerRequest = ReadRequest | PlanRequest | WriteRequest | ClearRequest;

/**
 * A worker's answer: what it read or planned, how many stacks it wrote, or why it failed
 * (`environment`: a file could not be written, and `message` says which and why).
 */
export type WorkerAnswer =
  | { readonly readDone: ReadDone }
  | { readonly planned: readonly Planned[] }
  | { readonly wrote: number }
  | { readonly cleared: true }
  | { readonly failed: { readonly message: string; readonly stack?: string; readonly environment?: true } };

/** What a worker does with a request, on its thread. */
function answer(m: WorkerRequest, store: PlanStore): WorkerAnswer {
  if ('read' in m) return { readDone: readPart(m.read, m.featureFlags) };
  if ('plan' in m) return { planned: store.plan(m.plan, m.keep) };
  if ('write' in m) return { wrote: store.write(m.write, m.target) };
  if ('clear' in m) {
    store.clear();
    return { cleared: true };
  }
  throw new Error(`unknown request: ${JSON.stringify(Object.keys(m))}`);
}

// Runs only as a worker thread of a SynthPool; importing it elsewhere does nothing. cdktf
// is loaded as the thread starts (through stack-item), so a worker started while the main
// thread still reads the input is ready when the clusters are.
const port = parentPort;
if (port !== null) {
  const store = new PlanStore();
  port.on('message', (m: WorkerRequest) => {
    try {
      port.postMessage(answer(m, store));
    } catch (e) {
      const err = e as Error;
      const environment = e instanceof EnvironmentError ? { environment: true as const } : {};
      port.postMessage({ failed: { message: String(err?.message ?? e), stack: err?.stack, ...environment } } satisfies WorkerAnswer);
    }
  });
}

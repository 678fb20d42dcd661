import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { planChecked, type ClusterToPlan, type Diagnostic, type IamPlan } from '@kops-iam/core';
import type { ClusterStackOptions } from './cluster-stack';
import { StackSynthesizer } from './stack-json';

/** A cluster to turn into its stack: planned already, or to plan first (pass two's last step). */
export type StackItem = { readonly plan: IamPlan } | { readonly toPlan: ClusterToPlan };

/**
 * A cluster's stack, or none when its plan has an error; and the plan's problems. The text
 * is kept deflated until it is written (once the whole input is known to be valid): a
 * stack of 18 KB takes about 2 KB, so 5,000 of them fit in the memory of a few hundred.
 */
export interface StackResult {
  readonly cluster: string;
  readonly packed?: Uint8Array;
  readonly diagnostics: readonly Diagnostic[];
}

/** The UTF-8 text of a packed stack. */
export function unpack(packed: Uint8Array): Buffer {
  return inflateRawSync(packed);
}

/** One synthesizer per thread and scratch folder: cdktf's App is made once. */
let synthesizer: { key: string; s: StackSynthesizer } | undefined;

/** Plans (when asked) and synthesizes one cluster's stack, on this thread. */
export function stackOf(item: StackItem, scratch: string, options: ClusterStackOptions): StackResult {
  const planned = 'plan' in item ? { plan: item.plan, diagnostics: [] } : planChecked(item.toPlan.spec, item.toPlan.groups);
  const cluster = 'plan' in item ? item.plan.cluster : item.toPlan.spec.name;
  if (planned.plan === undefined) return { cluster, diagnostics: planned.diagnostics };
  // Options come cloned from another thread: compared by value.
  const key = JSON.stringify([scratch, options]);
  if (synthesizer?.key !== key) synthesizer = { key, s: new StackSynthesizer(scratch, options) };
  // A copy of exactly its bytes: zlib hands out a view of its 16 KiB output chunk, and kept
  // (or posted between threads) as it is, each 2 KiB stack held the whole chunk (80 MiB
  // at 5,000 clusters).
  const packed = new Uint8Array(deflateRawSync(synthesizer.s.synthesize(planned.plan), { level: 1 }));
  return { cluster, packed, diagnostics: planned.diagnostics };
}

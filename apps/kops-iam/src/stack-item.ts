import { planChecked, type ClusterToPlan, type Diagnostic, type IamPlan } from '@kops-iam/core';
import type { ClusterStackOptions } from './cluster-stack';
import { attempt } from './fs-problem';
import { writeStackJob, type StackJob } from './stack-job';
import { StackSynthesizer } from './stack-json';

/** A cluster to turn into its stack: planned already, or to plan first (pass two's last step). */
export type StackItem = { readonly plan: IamPlan } | { readonly toPlan: ClusterToPlan };

/** A cluster's item and its place in the input's order. */
export interface NumberedItem {
  readonly index: number;
  readonly item: StackItem;
}

/** What planning a cluster found: its problems, and whether it has a plan (none when one is an error). */
export interface Planned {
  readonly cluster: string;
  readonly planned: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/** A valid cluster's stack to make and write to its temporary place: from its kept plan, or from its item planned again. */
export interface StackWork {
  readonly index: number;
  readonly job: StackJob;
  readonly item?: StackItem;
}

/** How stacks are synthesized: cdktf's scratch folder and the stacks' options. */
export interface SynthTarget {
  /** A folder cdktf's App may treat as its own (it creates `stacks/` in it): a scratch folder, never the output. */
  readonly scratch: string;
  readonly options: ClusterStackOptions;
}

/**
 * The plans one thread made, kept on that thread until their stacks are written: all of a
 * run's clusters are planned (so the whole input is known to be valid) before the first
 * stack is made, and each stack is written as soon as it is made. A plan never crosses
 * threads; the stack's text lives only between its synthesis and its write. A cluster
 * whose plan was not kept is planned again from its item.
 */
export class PlanStore {
  private readonly plans = new Map<number, IamPlan>();
  private synthesizer: { key: string; s: StackSynthesizer } | undefined;

  /** Plans each item (when it is not planned yet); with `keep`, keeps the plans without errors until their stacks are made. */
  plan(batch: readonly NumberedItem[], keep: boolean): Planned[] {
    return batch.map(({ index, item }) => {
      const { plan, diagnostics } = planOf(item);
      if (plan !== undefined && keep) this.plans.set(index, plan);
      return { cluster: clusterOf(item), planned: plan !== undefined, diagnostics };
    });
  }

  /**
   * Synthesizes each stack and writes it to its temporary place; how many were written. The
   * plan is let go once its stack is written. A failed system call is an EnvironmentError.
   */
  write(batch: readonly StackWork[], target: SynthTarget): number {
    // Options come cloned from another thread: compared by value. cdktf's App is made once.
    const key = JSON.stringify([target.scratch, target.options]);
    if (this.synthesizer?.key !== key) this.synthesizer = { key, s: new StackSynthesizer(target.scratch, target.options) };
    for (const { index, job, item } of batch) {
      const plan = this.plans.get(index) ?? (item !== undefined ? planOf(item).plan : undefined);
      if (plan === undefined) throw new Error(`internal error: no plan for ${job.cluster} on this thread`);
      const text = this.synthesizer.s.synthesize(plan);
      attempt('cannot write', job.file, () => writeStackJob(job, text));
      this.plans.delete(index);
    }
    return batch.length;
  }

  /** Lets go of every plan (a run that stops early). */
  clear(): void {
    this.plans.clear();
  }
}

function planOf(item: StackItem): { plan?: IamPlan; diagnostics: readonly Diagnostic[] } {
  return 'plan' in item ? { plan: item.plan, diagnostics: [] } : planChecked(item.toPlan.spec, item.toPlan.groups);
}

function clusterOf(item: StackItem): string {
  return 'plan' in item ? item.plan.cluster : item.toPlan.spec.name;
}

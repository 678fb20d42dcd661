import type { IamPlan } from '@kops-iam/core';
import { App } from 'cdktf';
import { ClusterStack } from './cluster-stack';

/**
 * Synthesizes clusters one at a time in one cdktf App, dropping each stack once its JSON
 * is out, so memory stays that of one stack however many clusters there are.
 */
export class StackSynthesizer {
  private readonly app = new App({ outdir: '.', stackTraces: false, skipValidation: true });

  /** The Terraform JSON text of a cluster's stack, as `cdk.tf.json` holds it. */
  synthesize(plan: IamPlan): string {
    const id = plan.cluster;
    const stack = new ClusterStack(this.app, id, plan);
    try {
      return `${JSON.stringify(stack.toTerraform(), null, 2)}\n`;
    } finally {
      this.app.node.tryRemoveChild(id);
    }
  }
}

import type { IamPlan } from '@kops-iam/core';
import type { CliIO } from './cli';
import { OutputDirError, StagedOutputDir } from './output-dir';
import { ProgressLine } from './progress';
import { StackSynthesizer } from './stack-json';

/** Synthesizes every plan into `outDir`, all or nothing; returns the exit status. */
export function synthToDir(plans: readonly IamPlan[], outDir: string, io: CliIO): number {
  let dir: StagedOutputDir;
  try {
    dir = new StagedOutputDir(outDir);
  } catch (e) {
    if (!(e instanceof OutputDirError)) throw e;
    io.stderr(`kops-iam: ${e.message}\n`);
    return 2;
  }
  const progress = new ProgressLine(plans.length, io);
  try {
    const synthesizer = new StackSynthesizer();
    for (const plan of plans) {
      dir.writeStack(plan.cluster, synthesizer.synthesize(plan));
      progress.tick();
    }
    dir.commit();
  } catch (e) {
    dir.abandon();
    throw e;
  } finally {
    progress.done();
  }
  const n = plans.length;
  io.stdout(`wrote ${n} stack${n === 1 ? '' : 's'} to ${outDir}/stacks: ${n <= 5 ? plans.map((p) => p.cluster).join(', ') : `${plans[0]?.cluster}, … (${n})`}\n`);
  return 0;
}

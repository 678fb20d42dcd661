import {
  joinManifests,
  parseFeatureFlags,
  planManifests,
  readManifests,
  Report,
  type InputFile,
  type LoadResult,
  type ReadManifests,
} from '@kops-iam/core';
import { splitInputs } from './split-input';
import type { SynthPool } from './synth-pool';

/**
 * Pass one on several threads: the input cut at document starts, one part read on this
 * thread and one on each worker (parsing is most of the time of a large input), joined in
 * input order. Problems go to `report`.
 */
export async function readOnThreads(
  inputs: readonly InputFile[],
  featureFlags: string | undefined,
  pool: SynthPool,
  report: Report,
): Promise<ReadManifests> {
  const [mine = [], ...theirs] = splitInputs(inputs, pool.workers + 1);
  const reading = pool.read(theirs, featureFlags);
  const here = readManifests(mine, parseFeatureFlags(featureFlags), report);
  const read = await reading;
  for (const r of read) report.addAll(r.diagnostics);
  return joinManifests([here, ...read.map((r) => r.manifests)]);
}

/** loadPlans with pass one on several threads: the same plans and diagnostics (a test compares them). */
export async function loadOnThreads(inputs: readonly InputFile[], featureFlags: string | undefined, pool: SynthPool): Promise<LoadResult> {
  const report = new Report();
  const read = await readOnThreads(inputs, featureFlags, pool, report);
  return planManifests(read, report, inputs[0]?.name ?? '<input>');
}

import { joinManifests, planManifests, Report, type InputFile, type LoadResult, type ReadManifests } from '@kops-iam/core';
import { splitInputs } from './split-input';
import type { SynthPool } from './synth-pool';

/** Parts per thread the input is cut into: small enough to balance threads that start at different times. */
const PARTS_PER_THREAD = 16;

/**
 * Pass one on several threads: the input cut at document starts into parts that the
 * threads take as they are free (parsing is most of the time of a large input), joined in
 * input order. Problems go to `report`.
 */
export async function readOnThreads(
  inputs: readonly InputFile[],
  featureFlags: string | undefined,
  pool: SynthPool,
  report: Report,
): Promise<ReadManifests> {
  const read = await pool.read(splitInputs(inputs, (pool.workers + 1) * PARTS_PER_THREAD), featureFlags);
  for (const r of read) report.addAll(r.diagnostics);
  return joinManifests(read.map((r) => r.manifests));
}

/** loadPlans with pass one on several threads: the same plans and diagnostics (a test compares them). */
export async function loadOnThreads(inputs: readonly InputFile[], featureFlags: string | undefined, pool: SynthPool): Promise<LoadResult> {
  const report = new Report();
  const read = await readOnThreads(inputs, featureFlags, pool, report);
  return planManifests(read, report, inputs[0]?.name ?? '<input>');
}

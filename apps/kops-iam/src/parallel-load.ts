import { joinManifests, parseFeatureFlags, planManifests, readManifests, Report, type InputFile, type LoadResult } from '@kops-iam/core';
import { splitInputs } from './split-input';
import type { SynthPool } from './synth-pool';

/**
 * loadPlans on several threads: pass one (parsing and reading documents, most of the time
 * of a large input) on parts of the input cut at document starts, one part on this thread
 * and one on each worker; pass two here on what they read. The same plans and diagnostics
 * as loadPlans (a test compares them).
 */
export async function loadOnThreads(inputs: readonly InputFile[], featureFlags: string | undefined, pool: SynthPool): Promise<LoadResult> {
  const parts = splitInputs(inputs, pool.workers + 1);
  const [mine = [], ...theirs] = parts;
  const reading = pool.read(theirs, featureFlags);
  const report = new Report();
  const here = readManifests(mine, parseFeatureFlags(featureFlags), report);
  const read = await reading;
  for (const r of read) report.addAll(r.diagnostics);
  return planManifests(joinManifests([here, ...read.map((r) => r.manifests)]), report, inputs[0]?.name ?? '<input>');
}

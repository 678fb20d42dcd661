import { parseFeatureFlags, readManifests, Report, type Diagnostic, type InputFile, type ReadManifests } from '@kops-iam/core';

/** What pass one read of a part: plain data, which a worker's answer clones into the main thread. */
export interface ReadDone {
  readonly manifests: ReadManifests;
  readonly diagnostics: readonly Diagnostic[];
}

/** Pass one of a part of the input, on whichever thread runs it: plain data and its problems. */
export function readPart(part: readonly InputFile[], featureFlags: string | undefined): ReadDone {
  const report = new Report();
  const manifests = readManifests(part, parseFeatureFlags(featureFlags), report);
  return { manifests, diagnostics: report.diagnostics };
}

import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { attempt } from './fs-problem';
import { parseTempName, processGone } from './run-token';
import { STACK_FILE } from './stack-job';

/**
 * Removes what killed runs left in an output folder (their temporary files and folders,
 * known by name) and returns the names of the stacks present (`stacks/<name>/cdk.tf.json`).
 * Runs under the folder's lock, so no live run is writing there: only lock attempts, made
 * before a lock is held, are left alone while their process lives.
 */
export function sweepOutput(dir: string): Set<string> {
  for (const name of list(dir)) removeLeftover(dir, name);
  const stacks = join(dir, 'stacks');
  const present = new Set<string>();
  for (const name of list(stacks)) {
    if (removeLeftover(stacks, name) || name.startsWith('.')) continue;
    const folder = join(stacks, name);
    if (attempt('cannot read', folder, () => statSync(folder, { throwIfNoEntry: false })?.isDirectory()) !== true) continue;
    const files = list(folder);
    for (const f of files) removeLeftover(folder, f);
    if (files.includes(STACK_FILE)) present.add(name);
  }
  return present;
}

function list(folder: string): string[] {
  return attempt('cannot read', folder, () => readdirSync(folder));
}

/** Removes a leftover; true when the name is a kops-iam temporary name, removed or not. */
function removeLeftover(folder: string, name: string): boolean {
  const temp = parseTempName(name);
  if (temp === undefined) return false;
  if ((temp.what === 'lock' || temp.what === 'stale') && !processGone(temp.pid)) return true;
  const path = join(folder, name);
  attempt('cannot remove', path, () => rmSync(path, { recursive: true, force: true }));
  return true;
}

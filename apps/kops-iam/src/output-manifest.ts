import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { attempt } from './fs-problem';

/** cdktf's manifest of an output folder: which stacks it holds, and where. */
export const MANIFEST_FILE = 'manifest.json';

/** The `version` kops-iam writes; cdktf writes its own package version there. */
export const MANIFEST_VERSION = 'kops-iam/1';

/** What an output folder's manifest.json is: none yet, one of kops-iam's or cdktf's (with its stack entries), or something else. */
export type ExistingManifest =
  { readonly kind: 'none' } | { readonly kind: 'ours'; readonly stacks: ReadonlyMap<string, unknown> } | { readonly kind: 'foreign' };

/** A manifest larger than this is not one kops-iam or cdktf wrote (about 100 bytes a stack). */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** Reads and recognizes `<folder>/manifest.json`; a file-system failure is an EnvironmentError. */
export function readManifest(folder: string): ExistingManifest {
  const path = join(folder, MANIFEST_FILE);
  const info = attempt('cannot read', path, () => statSync(path, { throwIfNoEntry: false }));
  if (info === undefined) return { kind: 'none' };
  if (!info.isFile() || info.size > MAX_MANIFEST_BYTES) return { kind: 'foreign' };
  const text = attempt('cannot read', path, () => readFileSync(path, 'utf8'));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'foreign' };
  }
  return recognize(json);
}

/** kops-iam's (`kops-iam/N`) or cdktf's (`0.21.0`) manifest: a version and a map of stacks. */
function recognize(json: unknown): ExistingManifest {
  if (!isRecord(json) || !isRecord(json.stacks) || typeof json.version !== 'string') return { kind: 'foreign' };
  if (!/^kops-iam\/\d+$/.test(json.version) && !/^\d+\.\d+\.\d+/.test(json.version)) return { kind: 'foreign' };
  return { kind: 'ours', stacks: new Map(Object.entries(json.stacks)) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The manifest text for the stacks present, sorted by name (never by input order). A stack
 * this run did not write keeps the entry an earlier manifest gave it (cdktf's has more fields).
 */
export function manifestText(present: Iterable<string>, written: ReadonlySet<string>, previous: ReadonlyMap<string, unknown>): string {
  const names = [...new Set(present)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // Object.fromEntries defines own properties, so a stack named __proto__ is a stack like any other.
  const stacks = Object.fromEntries(
    names.map((name) => [name, (!written.has(name) && isRecord(previous.get(name)) ? previous.get(name) : undefined) ?? entry(name)]),
  );
  return `${JSON.stringify({ version: MANIFEST_VERSION, stacks }, null, 2)}\n`;
}

function entry(name: string): { name: string; synthesizedStackPath: string } {
  return { name, synthesizedStackPath: `stacks/${name}/cdk.tf.json` };
}

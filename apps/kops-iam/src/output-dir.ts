import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The marker file that tells kops-iam a folder is its own output, safe to replace. */
export const MANIFEST_FILE = 'manifest.json';

/** Why an output folder cannot be used. */
export class OutputDirError extends Error {}

/**
 * An output folder written in a temporary sibling and renamed into place at the end,
 * so a failed or interrupted run leaves the previous output untouched.
 */
export class StagedOutputDir {
  private readonly staging: string;
  private readonly stacks: Record<string, { name: string; synthesizedStackPath: string }> = {};

  constructor(private readonly target: string) {
    const absolute = resolve(target);
    checkReplaceable(absolute);
    mkdirSync(dirname(absolute), { recursive: true });
    this.staging = mkdtempSync(join(dirname(absolute), `.${basename(absolute)}.tmp-`));
  }

  /** The temporary folder being written; renamed to the target on commit. */
  get stagingPath(): string {
    return this.staging;
  }

  /** Writes one stack's `stacks/<name>/cdk.tf.json` and lists it in the manifest. */
  writeStack(name: string, json: string): void {
    writeStackFile(this.staging, name, json);
    this.adopt(name);
  }

  /**
   * Lists in the manifest a stack that another thread wrote into the staging folder with
   * {@link writeStackFile}; the manifest keeps the order of these calls.
   */
  adopt(name: string): void {
    this.stacks[name] = { name, synthesizedStackPath: `stacks/${name}/cdk.tf.json` };
  }

  /** Writes the manifest and swaps the staged folder in for the target. */
  commit(): void {
    const manifest = { version: 'kops-iam/1', stacks: this.stacks };
    writeFileSync(join(this.staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    const absolute = resolve(this.target);
    const old = existsSync(absolute) ? `${this.staging}-old` : undefined;
    if (old !== undefined) renameSync(absolute, old);
    try {
      renameSync(this.staging, absolute);
    } catch (e) {
      if (old !== undefined) renameSync(old, absolute);
      throw e;
    }
    if (old !== undefined) rmSync(old, { recursive: true, force: true });
  }

  /** Removes the staged folder; the target stays as it was. */
  abandon(): void {
    rmSync(this.staging, { recursive: true, force: true });
  }
}

/** Writes `<folder>/stacks/<name>/cdk.tf.json`: the file layout of a staged output folder. */
export function writeStackFile(folder: string, name: string, json: string): void {
  const dir = join(folder, 'stacks', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cdk.tf.json'), json);
}

/** Refuses to replace a folder that holds anything but a previous kops-iam or cdktf output. */
function checkReplaceable(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new OutputDirError(`${dir} exists and is not a folder`);
  const entries = readdirSync(dir);
  const ours = entries.every((e) => e === MANIFEST_FILE || e === 'stacks');
  if (entries.length > 0 && (!ours || !entries.includes(MANIFEST_FILE))) {
    throw new OutputDirError(`${dir} is not empty and is not a kops-iam output folder (no ${MANIFEST_FILE}); choose another --out or remove it`);
  }
}

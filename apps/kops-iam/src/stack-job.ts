import { mkdirSync, writeFileSync } from 'node:fs';

/** The file a stack is written to, in its folder. */
export const STACK_FILE = 'cdk.tf.json';

/**
 * Where one cluster's stack is written, beside its target, before it is renamed into place.
 * An existing stack gets a temporary file in its folder; a new one a temporary folder in
 * `stacks/` that is renamed whole, so that a killed run never leaves a stack folder
 * without its file.
 */
export interface StackJob {
  readonly cluster: string;
  /** The temporary cdk.tf.json. */
  readonly file: string;
  /** For a new stack: the temporary folder that holds `file`. */
  readonly folder?: string;
  /** What the folder (or else the file) is renamed to. */
  readonly target: string;
}

/** Writes a stack's text to its temporary place; errors are the file system's, as thrown. */
export function writeStackJob(job: StackJob, text: string): void {
  if (job.folder !== undefined) mkdirSync(job.folder);
  writeFileSync(job.file, text);
}

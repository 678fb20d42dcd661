import { randomBytes } from 'node:crypto';

/**
 * Who wrote a temporary file or a lock: this process and a random part, so that two runs in
 * one process (the command run in-process by tests) never share names either.
 */
export class RunToken {
  readonly pid = process.pid;
  readonly id = `kops-iam-${this.pid}-${randomBytes(4).toString('hex')}`;

  /** A temporary name of this run, `.kops-iam-<pid>-<8 hex>-<what>.tmp`: hidden, and known for a leftover by the next run. */
  tempName(what: string): string {
    return `.${this.id}-${what}.tmp`;
  }
}

const TEMP_NAME = /^\.kops-iam-(\d+)-[0-9a-f]{8}-([a-z0-9]+)\.tmp$/;

/** The process and purpose of a name made by {@link RunToken.tempName}; undefined for any other name. */
export function parseTempName(name: string): { readonly pid: number; readonly what: string } | undefined {
  const m = TEMP_NAME.exec(name);
  return m === null ? undefined : { pid: Number(m[1]), what: m[2] as string };
}

/** True when no process has this id any more (on this machine). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    // EPERM: it exists, as another user's.
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

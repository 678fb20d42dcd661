/**
 * A problem of the machine rather than of the input or of kops-iam: a folder that cannot be
 * written, a full disk, a path under a file. The command prints its message on one line and
 * exits 2; only a true bug is an internal error (exit 70).
 */
export class EnvironmentError extends Error {}

/** What each error code of the file system means, said for a user. */
const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  ENAMETOOLONG: 'name too long',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ELOOP: 'too many levels of symbolic links',
  ENOENT: 'no such file or folder',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the folder is not empty',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EBUSY: 'resource busy',
  EXDEV: 'it is on another file system',
  ETXTBSY: 'file busy',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
};

/** The error code of a failed system call (`ENOENT`), or undefined for any other error. */
export function errnoCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** A failed system call's reason in words; Node's own text for codes not in the table. */
export function describeErrno(e: unknown): string {
  const code = errnoCode(e) ?? '';
  const reason = Object.hasOwn(REASONS, code) ? REASONS[code] : undefined;
  if (reason !== undefined) return reason;
  // Node's messages read `EINVAL: invalid argument, open '/x'`: keep the words.
  const words = /^E[A-Z0-9]+: ([^,]+)/.exec(e instanceof Error ? e.message : '')?.[1];
  return words ?? (code || 'unknown error');
}

/**
 * A path short enough for a one-line message: a path of thousands of characters (the
 * ENAMETOOLONG case) keeps its start and its end.
 */
export function shortPath(path: string): string {
  return path.length <= 160 ? path : `${path.slice(0, 100)}…${path.slice(-50)}`;
}

/**
 * Runs a file-system step; a failed system call becomes an EnvironmentError saying
 * `<what> <path>: <reason>`, anything else (a bug) passes through unchanged.
 */
export function attempt<T>(what: string, path: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    throw asEnvironmentError(e, what, path);
  }
}

/** The EnvironmentError for a failed system call; other errors are returned as they are. */
export function asEnvironmentError(e: unknown, what: string, path: string): unknown {
  if (e instanceof EnvironmentError || errnoCode(e) === undefined) return e;
  return new EnvironmentError(`${what} ${shortPath(path)}: ${describeErrno(e)}`);
}

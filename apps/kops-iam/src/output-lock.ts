import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { attempt, EnvironmentError, errnoCode, shortPath } from './fs-problem';
import { processGone, type RunToken } from './run-token';

/** The lock file in the output folder while a run writes it. */
export const LOCK_FILE = '.kops-iam.lock';

/** What a lock file says: which run holds it. */
interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly id: string;
}

/** How to wait for a lock another run holds. */
export interface LockWait {
  /** How long to wait before giving up, in milliseconds. */
  readonly timeoutMs: number;
  /** Called once, when the wait begins, with a description of the holder. */
  readonly onWait: (holder: string) => void;
  /** True once the run is to stop (a signal came): then the wait ends without the lock. */
  readonly stopped?: () => boolean;
}

/** A lock wait ended by the run stopping: the caller knows why, and ends the run. */
export class LockWaitStopped extends Error {
  constructor() {
    super('stopped while waiting for the output folder');
  }
}

/**
 * One run at a time writes an output folder. The lock is a file in the folder naming its
 * holder; it is made whole and then hard-linked into place, which fails if the file
 * exists, so no run ever sees a half-written lock. A lock whose process is gone (a run
 * killed with kill -9) is stale and is taken over.
 */
export class OutputLock {
  private constructor(
    private readonly path: string,
    private readonly id: string,
  ) {}

  /** Takes the folder's lock, waiting while a live run holds it; an EnvironmentError when the wait times out. */
  static async acquire(folder: string, token: RunToken, wait: LockWait): Promise<OutputLock> {
    const path = join(folder, LOCK_FILE);
    const me: Holder = { pid: token.pid, host: hostname(), id: token.id };
    const deadline = Date.now() + wait.timeoutMs;
    let waiting = false;
    for (let attempts = 0; ; attempts += 1) {
      if (tryCreate(path, me, join(folder, token.tempName('lock')))) return new OutputLock(path, me.id);
      const holder = readHolder(path);
      // Released meanwhile, or stale: try again (a bounded number of times, whatever happens).
      if (attempts < 100 && (holder === undefined || isStale(holder, path))) {
        if (holder !== undefined) breakStale(path, holder, join(folder, token.tempName('stale')));
        continue;
      }
      if (Date.now() >= deadline) throw new EnvironmentError(busy(folder, holder ?? 'unreadable', wait.timeoutMs));
      if (!waiting) wait.onWait(describe(holder ?? 'unreadable'));
      waiting = true;
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (wait.stopped?.() === true) throw new LockWaitStopped();
    }
  }

  /** True while the lock file is still this run's (nobody took it as stale). */
  held(): boolean {
    const holder = readHolder(this.path);
    return holder !== undefined && holder !== 'unreadable' && holder.id === this.id;
  }

  /** Removes the lock file, if it is still this run's. */
  release(): void {
    if (this.held()) rmSync(this.path, { force: true });
  }
}

/** Makes the lock file whole beside it and links it into place: false when a lock exists. */
function tryCreate(path: string, me: Holder, temp: string): boolean {
  const text = `${JSON.stringify(me)}\n`;
  attempt('cannot write', temp, () => writeFileSync(temp, text));
  try {
    linkSync(temp, path);
    return true;
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'EEXIST') return false;
    // File systems without hard links: an exclusive create, whose brief empty state readers tolerate.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') return createExclusive(path, text);
    return attempt('cannot write', path, () => {
      throw e;
    });
  } finally {
    rmSync(temp, { force: true });
  }
}

function createExclusive(path: string, text: string): boolean {
  try {
    writeFileSync(path, text, { flag: 'wx' });
    return true;
  } catch (e) {
    if (errnoCode(e) === 'EEXIST') return false;
    throw e;
  }
}

/** Who holds the lock; undefined when there is no lock, 'unreadable' when its text is not a holder. */
function readHolder(path: string): Holder | 'unreadable' | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.id === 'string'
      ? { pid: h.pid, host: h.host, id: h.id }
      : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/**
 * A lock whose process is gone. A process on another machine (a shared file system) cannot
 * be checked: its lock counts as live. An unreadable lock is stale once it is a few seconds
 * old (younger, it may be an exclusive create not yet written).
 */
function isStale(holder: Holder | 'unreadable', path: string): boolean {
  if (holder === 'unreadable') return Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 5000;
  return holder.host === hostname() && processGone(holder.pid);
}

/**
 * Removes a stale lock. It is first renamed aside and read again: if another run had
 * meanwhile replaced it with a live lock, that one is put back.
 */
function breakStale(path: string, seen: Holder | 'unreadable', aside: string): void {
  try {
    renameSync(path, aside);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return; // another run removed it first
    throw e;
  }
  const moved = readHolder(aside);
  const same = moved === seen || (moved !== undefined && moved !== 'unreadable' && seen !== 'unreadable' && moved.id === seen.id);
  if (!same) {
    try {
      linkSync(aside, path);
    } catch {
      // A third run holds the lock now; the run whose lock was moved finds out before it writes.
    }
  }
  rmSync(aside, { force: true });
}

function describe(holder: Holder | 'unreadable'): string {
  if (holder === 'unreadable') return 'another kops-iam run';
  return `another kops-iam run (pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`})`;
}

function busy(folder: string, holder: Holder | 'unreadable', timeoutMs: number): string {
  const waited = timeoutMs > 0 ? ` (waited ${Math.round(timeoutMs / 1000)} s)` : '';
  const lock = shortPath(join(folder, LOCK_FILE));
  const advice = `try again when it ends, or remove ${lock} if no such run exists`;
  return `cannot use --out ${shortPath(folder)}: ${describe(holder)} is writing it${waited}; ${advice}`;
}

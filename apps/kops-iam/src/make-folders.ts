import { lstatSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { attempt, EnvironmentError, errnoCode, shortPath } from './fs-problem';

/**
 * `mkdir -p`, one level at a time. Node 20's `mkdirSync(p, { recursive: true })` never
 * returns for a path under /proc (mkdir says ENOENT though the parent exists, and it retries
 * the parent forever); here that is an EnvironmentError, as is every other failure. Returns
 * the folders it created, outermost first.
 */
export function makeFolders(path: string): string[] {
  const missing: string[] = [];
  for (let p = resolve(path); !isFolder(p); p = dirname(p)) {
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  const made: string[] = [];
  for (const folder of missing) {
    try {
      mkdirSync(folder);
      made.push(folder);
    } catch (e) {
      const code = errnoCode(e);
      if (code === 'EEXIST' && isFolder(folder)) continue; // made by a concurrent run meanwhile
      if (code === 'EEXIST' && lstatSync(folder).isSymbolicLink())
        throw new EnvironmentError(`cannot create folder ${shortPath(folder)}: it is a symbolic link to nothing`);
      if (code === 'ENOENT')
        throw new EnvironmentError(`cannot create folder ${shortPath(folder)}: the file system does not allow new folders there`);
      attempt('cannot create folder', folder, () => {
        throw e;
      });
    }
  }
  return made;
}

/** Removes folders (deepest last in `made`, as makeFolders lists them) that are still empty; never anything in them. */
export function removeEmptyFolders(made: readonly string[]): void {
  for (const folder of [...made].reverse()) {
    try {
      rmdirSync(folder);
    } catch {
      return; // not empty (or gone): neither is any folder above it
    }
  }
}

/** True when the path is a folder (or a link to one); false when nothing is there or a file is. */
function isFolder(path: string): boolean {
  return attempt('cannot use', path, () => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false);
}

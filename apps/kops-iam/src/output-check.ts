import { accessSync, constants, lstatSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeErrno, EnvironmentError, errnoCode, shortPath } from './fs-problem';
import { MANIFEST_FILE, readManifest } from './output-manifest';

/**
 * Why `dir` cannot be an output folder, as a one-line message; undefined when it can.
 * Only looks: nothing is created, so it runs before the input is read, and again once the
 * folder is locked. Refused: a file, a symbolic link to nothing, a folder whose
 * manifest.json is not kops-iam's or cdktf's, a path under a file, a folder this process
 * may not write. Everything else in an existing folder is fine: synth touches only its own files.
 */
export function outputDirProblem(dir: string): string | undefined {
  try {
    if (lstatIfThere(dir) === undefined) return creationProblem(dir);
    const info = statSync(dir, { throwIfNoEntry: false });
    if (info === undefined) return `${cannotUse(dir)}: it is a symbolic link to ${shortPath(readlinkSync(dir))}, which does not exist`;
    if (!info.isDirectory()) return `${cannotUse(dir)}: it is a file, not a folder`;
    if (readManifest(dir).kind === 'foreign') {
      const why = `its ${MANIFEST_FILE} is not a kops-iam or cdktf manifest, so the folder is not an output folder`;
      return `${cannotUse(dir)}: ${why}; choose another --out`;
    }
    if (statSync(join(dir, 'stacks'), { throwIfNoEntry: false })?.isDirectory() === false)
      return `${cannotUse(dir)}: its 'stacks' is a file, not a folder`;
    return writeProblem(dir, dir);
  } catch (e) {
    if (e instanceof EnvironmentError) return e.message;
    if (errnoCode(e) === undefined) throw e;
    return `${cannotUse(dir)}: ${describeErrno(e)}`;
  }
}

/** For a folder that does not exist yet: its nearest existing ancestor must be a folder this process may write. */
function creationProblem(dir: string): string | undefined {
  for (let p = dirname(dir); ; p = dirname(p)) {
    const info = statIfThere(p);
    if (info !== undefined && !info.isDirectory()) return `${cannotUse(dir)}: ${shortPath(p)} is a file, not a folder`;
    if (info !== undefined) return writeProblem(p, dir);
    if (dirname(p) === p) return undefined;
  }
}

/** The stat of a path, or undefined when nothing is there (also when a part of its path is a file: an ancestor says which). */
function statIfThere(path: string, stat: typeof statSync = statSync): Stats | undefined {
  try {
    return stat(path, { throwIfNoEntry: false });
  } catch (e) {
    if (errnoCode(e) === 'ENOTDIR') return undefined;
    throw e;
  }
}

function lstatIfThere(path: string): Stats | undefined {
  return statIfThere(path, lstatSync);
}

/** Whether this process may create files in `folder` (a read-only file system, permissions). */
function writeProblem(folder: string, dir: string): string | undefined {
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (e) {
    if (errnoCode(e) === undefined) throw e;
    return `${cannotUse(dir)}: ${folder === dir ? '' : `${shortPath(folder)}: `}${describeErrno(e)}`;
  }
}

function cannotUse(dir: string): string {
  return `cannot use --out ${shortPath(dir)}`;
}

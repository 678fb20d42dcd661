import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { attempt, EnvironmentError, shortPath } from './fs-problem';
import { makeFolders, removeEmptyFolders } from './make-folders';
import { outputDirProblem } from './output-check';
import { OutputLock, type LockWait } from './output-lock';
import { MANIFEST_FILE, manifestText, readManifest } from './output-manifest';
import { sweepOutput } from './output-sweep';
import { RunToken } from './run-token';
import { STACK_FILE, type StackJob } from './stack-job';

/**
 * An output folder opened by one run, under its lock. synth owns only
 * `stacks/<cluster>/cdk.tf.json` of its clusters and `manifest.json`: each is written
 * beside its target and renamed over it, so a run killed at any moment leaves every stack
 * old or new. Nothing else in the folder is created, changed or deleted.
 */
export class OutputDir {
  private manifestTemp: string | undefined;

  private constructor(
    /** The folder, absolute. */
    readonly path: string,
    private readonly token: RunToken,
    private readonly lock: OutputLock,
    private readonly previous: ReadonlyMap<string, unknown>,
    private readonly present: ReadonlySet<string>,
    /** The folders this run created (the output's parents, itself, `stacks/`), outermost first. */
    private readonly created: readonly string[],
  ) {}

  /**
   * Creates the folder if needed (with its parents), takes its lock, checks it again (it may
   * have changed while the input was read), removes what killed runs left there, and makes
   * `stacks/`. Every problem is an EnvironmentError.
   */
  static async open(path: string, wait: LockWait): Promise<OutputDir> {
    const problem = outputDirProblem(path);
    if (problem !== undefined) throw new EnvironmentError(problem);
    const created = makeFolders(path);
    const token = new RunToken();
    let lock: OutputLock;
    try {
      lock = await OutputLock.acquire(path, token, wait);
    } catch (e) {
      removeEmptyFolders(created);
      throw e;
    }
    try {
      const again = outputDirProblem(path);
      if (again !== undefined) throw new EnvironmentError(again);
      const manifest = readManifest(path);
      created.push(...makeFolders(join(path, 'stacks')));
      const present = sweepOutput(path);
      return new OutputDir(path, token, lock, manifest.kind === 'ours' ? manifest.stacks : new Map(), present, created);
    } catch (e) {
      lock.release();
      removeEmptyFolders(created);
      throw e;
    }
  }

  /** Where each cluster's stack is written before {@link commit}; `clusters` are distinct. */
  jobsFor(clusters: readonly string[]): StackJob[] {
    return clusters.map((cluster, i) => this.jobFor(cluster, i));
  }

  private jobFor(cluster: string, index: number): StackJob {
    // Cluster names are DNS names (core checks them): anything else here is a bug.
    if (!/^[^./\\\0][^/\\\0]*$/.test(cluster)) throw new Error(`'${cluster}' cannot name a stack folder`);
    const target = join(this.path, 'stacks', cluster);
    const info = attempt('cannot use', target, () => statSync(target, { throwIfNoEntry: false }));
    if (info === undefined) {
      const folder = join(this.path, 'stacks', this.token.tempName(`s${index}`));
      return { cluster, folder, file: join(folder, STACK_FILE), target };
    }
    if (!info.isDirectory()) throw new EnvironmentError(`cannot write ${shortPath(target)}: it is a file, not a folder`);
    const file = join(target, STACK_FILE);
    if (statSync(file, { throwIfNoEntry: false })?.isDirectory() === true)
      throw new EnvironmentError(`cannot write ${shortPath(file)}: it is a folder`);
    return { cluster, file: join(target, this.token.tempName('stack')), target: file };
  }

  /**
   * Writes the manifest beside its target: every stack present after the jobs, sorted. Done
   * once every stack is staged, so that committing is only renames.
   */
  stageManifest(jobs: readonly StackJob[]): void {
    const written = new Set(jobs.map((j) => j.cluster));
    const temp = join(this.path, this.token.tempName('manifest'));
    this.manifestTemp = temp;
    attempt('cannot write', temp, () => writeFileSync(temp, manifestText([...this.present, ...written], written, this.previous)));
  }

  /**
   * Renames every staged stack, then the manifest, into place: synchronous, so no signal
   * handler runs in between. An EnvironmentError if the lock was taken over meanwhile.
   */
  commit(jobs: readonly StackJob[]): void {
    if (!this.lock.held()) {
      throw new EnvironmentError(
        `cannot write --out ${shortPath(this.path)}: another kops-iam run took its lock over (it took this run for a dead one)`,
      );
    }
    for (const job of jobs) attempt('cannot write', job.target, () => renameSync(job.folder ?? job.file, job.target));
    const temp = this.manifestTemp;
    if (temp === undefined) throw new Error('commit before stageManifest');
    const manifest = join(this.path, MANIFEST_FILE);
    attempt('cannot write', manifest, () => renameSync(temp, manifest));
    this.manifestTemp = undefined;
  }

  /** Removes whatever of the jobs' temporary files (and the manifest's) exists: the folder stays as it was. */
  discard(jobs: readonly StackJob[]): void {
    const temps = jobs.map((job) => job.folder ?? job.file);
    if (this.manifestTemp !== undefined) temps.push(this.manifestTemp);
    this.manifestTemp = undefined;
    for (const temp of temps) {
      try {
        rmSync(temp, { recursive: true, force: true });
      } catch {
        // Best effort, on the way out of a failed run: the next run removes what is left.
      }
    }
  }

  /**
   * After {@link discard} and {@link release}: removes the folders this run created, as long
   * as they are empty, so that a run that wrote nothing leaves no trace.
   */
  removeCreatedFolders(): void {
    removeEmptyFolders(this.created);
  }

  /** Lets other runs in. */
  release(): void {
    this.lock.release();
  }
}

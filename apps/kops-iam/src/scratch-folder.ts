import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A folder of the system's temporary space that cdktf's App may take as its own: the App
 * creates its output folder and a `stacks/` folder in it as it starts. Stacks are
 * synthesized before the input is known to be valid, and nothing may appear in the output
 * folder before that, so the App never sees it. Empty; removed at the end of the run.
 */
export class ScratchFolder {
  readonly path: string;

  constructor() {
    this.path = mkdtempSync(join(tmpdir(), 'kops-iam-cdktf-'));
    mkdirSync(join(this.path, 'stacks'));
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

// Runs stopped part-way, and runs side by side, as the built command in child processes:
// signals, kill -9 and locks are per process.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cli, leftovers, manyClusters, requireBuild, spawnCli, tree, until } from './run-cli';

/** Clusters per run: enough that a run is still writing stacks when the test stops it. */
const CLUSTERS = 400;

let template: string;
let dir: string;
let out: string;
let old: Record<string, string>;
let fresh: Record<string, string>;
beforeAll(async () => {
  requireBuild();
  template = mkdtempSync(join(tmpdir(), 'kops-iam-interrupt-'));
  // The previous output: half of the clusters, with another zone, so old and new stacks differ.
  writeFileSync(join(template, 'old.yaml'), manyClusters('c', CLUSTERS / 2, '  dnsZone: ZOLD'));
  writeFileSync(join(template, 'many.yaml'), manyClusters('c', CLUSTERS));
  writeFileSync(join(template, 'other.yaml'), manyClusters('d', CLUSTERS / 2));
  expect((await cli(template, ['synth', 'old.yaml', '--out', 'out'])).code).toBe(0);
  old = tree(join(template, 'out'));
  expect((await cli(template, ['synth', 'many.yaml', '--out', 'fresh'])).code).toBe(0);
  fresh = tree(join(template, 'fresh'));
}, 120_000);
afterAll(() => rmSync(template, { recursive: true, force: true }));
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kops-iam-interrupt-'));
  cpSync(template, dir, { recursive: true });
  out = join(dir, 'out');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** True once the run has temporary stacks in the folder: it is writing, not yet renaming. */
function staging(): boolean {
  return readdirSync(join(out, 'stacks')).some((f) => f.startsWith('.kops-iam-'));
}

/** Every stack is the previous one or the new one, never anything else (nor half of one). */
function everyStackOldOrNew(except: readonly string[] = []): void {
  for (const [path, text] of Object.entries(tree(out))) {
    if (path === 'manifest.json' || except.includes(path) || /(^|\/)\.kops-iam/.test(path)) continue;
    expect([old[path], fresh[path]], path).toContain(text);
  }
}

describe('interrupted runs', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    '%s while stacks are made leaves the folder as it was and removes the scratch folder',
    async (signal) => {
      // Stacks are made in a scratch folder of the system's temporary space: TMPDIR shows when.
      const tmp = join(dir, 'tmp');
      mkdirSync(tmp);
      const child = spawnCli(dir, ['synth', 'many.yaml', '--out', 'out'], { env: { ...process.env, TMPDIR: tmp } });
      expect(await until(() => readdirSync(tmp).some((f) => f.startsWith('kops-iam-cdktf-')))).toBe(true);
      child.kill(signal);
      const end = await child.ended;
      expect(end.signal).toBe(signal);
      expect(end.stderr).toBe('');
      expect(readdirSync(tmp)).toEqual([]);
      expect(leftovers(out)).toEqual([]);
      expect(tree(out)).toEqual(old);
    },
    60_000,
  );

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    '%s while stacks are written stops the run: its temporary stacks are removed, the folder is as it was',
    async (signal) => {
      // Stacks are written as they are made, beside their targets, and renamed into place only
      // once all are written (synchronously: a signal then is handled after the last rename).
      const child = spawnCli(dir, ['synth', 'many.yaml', '--out', 'out']);
      expect(await until(staging)).toBe(true);
      child.kill(signal);
      const end = await child.ended;
      expect(end.signal).toBe(signal);
      expect(end.stderr).toBe('');
      expect(leftovers(out)).toEqual([]);
      expect(tree(out)).toEqual(old);
    },
    60_000,
  );

  it('SIGINT while stacks are written to a new folder leaves no folder behind, not even its parents', async () => {
    const fresh = join(dir, 'new', 'out');
    const child = spawnCli(dir, ['synth', 'many.yaml', '--out', 'new/out']);
    const writing = (): boolean =>
      existsSync(join(fresh, 'stacks')) && readdirSync(join(fresh, 'stacks')).some((f) => f.startsWith('.kops-iam-'));
    expect(await until(writing)).toBe(true);
    child.kill('SIGINT');
    expect((await child.ended).signal).toBe('SIGINT');
    expect(existsSync(join(dir, 'new'))).toBe(false);
  }, 60_000);

  it("kill -9 leaves each stack old or new, and the next run removes the killed run's leftovers", async () => {
    const child = spawnCli(dir, ['synth', 'many.yaml', '--out', 'out']);
    expect(await until(staging)).toBe(true);
    child.kill('SIGKILL');
    expect((await child.ended).signal).toBe('SIGKILL');
    expect(leftovers(out)).toContain('.kops-iam.lock');
    expect(leftovers(out).length).toBeGreaterThan(1);
    everyStackOldOrNew();
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(old['manifest.json']);

    writeFileSync(join(dir, 'one.yaml'), manyClusters('z', 1));
    expect(await cli(dir, ['synth', 'one.yaml', '--out', 'out'], { env: { KOPS_IAM_LOCK_WAIT: '0' } })).toMatchObject({
      code: 0,
      stderr: '',
    });
    expect(leftovers(out)).toEqual([]);
    const z = 'stacks/z0000.example.com/cdk.tf.json';
    everyStackOldOrNew([z]);
    const present = Object.keys(tree(out)).filter((p) => p !== 'manifest.json');
    expect(present).toContain(z);
    const listed = Object.keys((JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { stacks: object }).stacks);
    expect(listed).toEqual(present.map((p) => p.split('/')[1]).sort());
  }, 60_000);
});

describe('concurrent runs', () => {
  it('two concurrent runs do not corrupt the folder', async () => {
    const one = spawnCli(dir, ['synth', 'many.yaml', '--out', 'out']);
    const two = spawnCli(dir, ['synth', 'other.yaml', '--out', 'out']);
    const [a, b] = await Promise.all([one.ended, two.ended]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    expect(leftovers(out)).toEqual([]);
    const files = tree(out);
    for (const [path, text] of Object.entries(fresh)) if (path !== 'manifest.json') expect(files[path], path).toBe(text);
    const stacks = Object.keys(files)
      .filter((p) => p !== 'manifest.json')
      .map((p) => p.split('/')[1]);
    expect(stacks).toHaveLength(CLUSTERS + CLUSTERS / 2);
    // Neither run's manifest lost the other's stacks.
    expect(Object.keys((JSON.parse(files['manifest.json'] as string) as { stacks: object }).stacks)).toEqual(stacks.sort());
  }, 120_000);
});

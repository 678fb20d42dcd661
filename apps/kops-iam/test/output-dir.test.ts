import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, OutputDirError, StagedOutputDir } from '../src/output-dir';
import { synthToDir } from '../src/synth-command';
import type { CliIO } from '../src/cli';
import { clusterYaml, planOf } from './helpers';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kops-iam-outdir-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Every file under a folder with its text, by relative path. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else out[`${prefix}${e.name}`] = readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

function write(target: string, stacks: Record<string, string>): void {
  const dir = new StagedOutputDir(target);
  for (const [name, text] of Object.entries(stacks)) dir.writeStack(name, text);
  dir.commit();
}

const quietIo: CliIO = { stdout: () => {}, stderr: () => {}, interactive: false, env: {} };

describe('StagedOutputDir', () => {
  it('writes stacks/<name>/cdk.tf.json and a manifest', () => {
    const out = join(root, 'out');
    write(out, { 'a.example.com': '{"a":1}\n' });
    const files = tree(out);
    expect(Object.keys(files).sort()).toEqual([MANIFEST_FILE, 'stacks/a.example.com/cdk.tf.json']);
    expect(files['stacks/a.example.com/cdk.tf.json']).toBe('{"a":1}\n');
    expect(JSON.parse(files[MANIFEST_FILE]!)).toEqual({ version: 'kops-iam/1', stacks: { 'a.example.com': { name: 'a.example.com', synthesizedStackPath: 'stacks/a.example.com/cdk.tf.json' } } });
  });

  it('replaces its own previous output whole: no stale stack survives', () => {
    const out = join(root, 'out');
    write(out, { 'old.example.com': 'old\n' });
    write(out, { 'new.example.com': 'new\n' });
    expect(Object.keys(tree(out)).sort()).toEqual([MANIFEST_FILE, 'stacks/new.example.com/cdk.tf.json']);
  });

  it('leaves the previous output untouched when a run is abandoned, and cleans its staging folder', () => {
    const out = join(root, 'out');
    write(out, { 'a.example.com': 'first\n' });
    const before = tree(out);
    const dir = new StagedOutputDir(out);
    dir.writeStack('a.example.com', 'second\n');
    dir.abandon();
    expect(tree(out)).toEqual(before);
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('leaves no temporary sibling after a commit', () => {
    write(join(root, 'out'), { x: 'x\n' });
    write(join(root, 'out'), { y: 'y\n' });
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('creates missing parent folders and accepts an empty existing folder', () => {
    write(join(root, 'deep', 'er', 'out'), { x: 'x\n' });
    expect(existsSync(join(root, 'deep', 'er', 'out', MANIFEST_FILE))).toBe(true);
    mkdirSync(join(root, 'empty'));
    write(join(root, 'empty'), { x: 'x\n' });
    expect(existsSync(join(root, 'empty', MANIFEST_FILE))).toBe(true);
  });

  it('refuses to replace a folder that is not a kops-iam output, and leaves it alone', () => {
    const src = join(root, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'main.tf'), 'precious');
    expect(() => new StagedOutputDir(src)).toThrow(OutputDirError);
    expect(() => new StagedOutputDir(src)).toThrow(/not a kops-iam output folder/);
    expect(tree(src)).toEqual({ 'main.tf': 'precious' });
    expect(readdirSync(root)).toEqual(['src']);
  });

  it('refuses a folder with stacks/ but no manifest, and a file', () => {
    mkdirSync(join(root, 'half', 'stacks'), { recursive: true });
    expect(() => new StagedOutputDir(join(root, 'half'))).toThrow(OutputDirError);
    writeFileSync(join(root, 'file'), 'x');
    expect(() => new StagedOutputDir(join(root, 'file'))).toThrow(/is not a folder/);
  });
});

describe('synthToDir', () => {
  it('leaves the previous output untouched when synthesis fails midway', async () => {
    const out = join(root, 'out');
    const good = await planOf(clusterYaml('good.example.com', '  dnsZone: Z1'));
    expect(await synthToDir([good], out, quietIo)).toBe(0);
    const before = tree(out);
    // A plan that refers to an input it does not declare makes the construct throw: a bug, not bad input.
    const broken = { ...good, cluster: 'broken.example.com', inputs: [] as typeof good.inputs, roles: good.roles.map((r) => ({ ...r, policy: { statements: [{ sid: 'X', effect: 'Allow' as const, actions: ['s3:GetObject'], resources: [[{ input: 'missing', attribute: 'x' }]], origin: 'test' }] } })) };
    await expect(synthToDir([good, broken], out, quietIo)).rejects.toThrow(/does not declare: missing/);
    expect(tree(out)).toEqual(before);
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('returns 2 and writes nothing for a folder that is not a kops-iam output', async () => {
    const src = join(root, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'keep.txt'), 'keep');
    let stderr = '';
    const plan = await planOf(clusterYaml('x.example.com', '  dnsZone: Z1'));
    expect(await synthToDir([plan], src, { ...quietIo, stderr: (t) => (stderr += t) })).toBe(2);
    expect(stderr).toMatch(/is not empty and is not a kops-iam output folder/);
    expect(tree(src)).toEqual({ 'keep.txt': 'keep' });
  });
});

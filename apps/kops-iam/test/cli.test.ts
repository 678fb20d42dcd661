import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../src/cli';
import { clusterYaml } from './helpers';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'kops-iam-cli-'));
  writeFileSync(join(cwd, 'good.yaml'), clusterYaml('good.example.com', '  dnsZone: Z1'));
  writeFileSync(join(cwd, 'bad.yaml'), clusterYaml('bad.example.com', '  configBase: gs://bucket/x\n  dnsZone: Zlower'));
  writeFileSync(join(cwd, 'custom.yaml'), clusterYaml('custom.example.com', '  dnsZone: Z1\n  customPolicies:\n    node: arn:aws:iam::123456789012:role/kops-node'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

async function cli(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    interactive: false,
    env,
    cwd,
  });
  return { code, stdout, stderr };
}

const inputsOnly = ['bad.yaml', 'custom.yaml', 'good.yaml'];

describe('kops-iam help and version', () => {
  it.each([[['--help']], [['-h']], [[]], [['help']], [['synth', 'x.yaml', '--help']]])('%j prints usage and exits 0', async (argv) => {
    const r = await cli(argv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^kops-iam: /);
    expect(r.stdout).toContain('kops-iam synth FILE... [--out DIR]');
    expect(r.stdout).toContain('Exit status: 0 success, 1 invalid input (nothing written), 2 usage error.');
    expect(r.stderr).toBe('');
  });

  it('--version prints the package version', async () => {
    const version = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `kops-iam ${version}\n`, stderr: '' });
  });
});

describe('usage errors exit 2 and write nothing', () => {
  it.each([
    [['frobnicate', 'good.yaml'], /unknown command 'frobnicate'; use synth, validate or explain/],
    [['synth', 'good.yaml', '--bogus'], /unknown option '--bogus'/],
    [['synth'], /synth needs at least one FILE/],
    [['validate'], /validate needs at least one FILE/],
    [['synth', 'good.yaml', '--out'], /--out needs a value/],
    [['synth', 'good.yaml', '--out='], /--out needs a value/],
    [['validate', 'good.yaml', '--out', 'x'], /--out goes with synth/],
    [['synth', 'missing.yaml'], /cannot read 'missing.yaml': no such file/],
    [['synth', 'good.yaml', 'missing.yaml'], /cannot read 'missing.yaml': no such file/],
  ])('%j', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain("Run 'kops-iam --help' for usage.");
    expect(r.stdout).toBe('');
    expect(readdirSync(cwd).sort()).toEqual(inputsOnly);
  });

  it('a folder given as FILE', async () => {
    mkdirSync(join(cwd, 'dir'));
    const r = await cli(['validate', 'dir']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read 'dir': it is a folder/);
  });

  it('an --out folder that is not a kops-iam output', async () => {
    mkdirSync(join(cwd, 'project'));
    writeFileSync(join(cwd, 'project', 'main.tf'), '# mine');
    const r = await cli(['synth', 'good.yaml', '--out', 'project']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a kops-iam output folder/);
    expect(readdirSync(join(cwd, 'project'))).toEqual(['main.tf']);
  });
});

describe('synth', () => {
  it('exits 0 and writes DIR/stacks/<cluster>/cdk.tf.json (default DIR cdktf.out)', async () => {
    const r = await cli(['synth', 'good.yaml']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`wrote 1 stack to ${join(cwd, 'cdktf.out')}/stacks: good.example.com\n`);
    const json = JSON.parse(readFileSync(join(cwd, 'cdktf.out', 'stacks', 'good.example.com', 'cdk.tf.json'), 'utf8')) as { resource: Record<string, unknown> };
    expect(Object.keys(json.resource)).toEqual(['aws_iam_role', 'aws_iam_role_policy', 'aws_iam_instance_profile']);
  });

  it('accepts --out=DIR and several files', async () => {
    writeFileSync(join(cwd, 'second.yaml'), clusterYaml('second.example.com', '  dnsZone: Z2'));
    const r = await cli(['synth', 'good.yaml', 'second.yaml', '--out=out']);
    expect(r.code).toBe(0);
    expect(readdirSync(join(cwd, 'out', 'stacks')).sort()).toEqual(['good.example.com', 'second.example.com']);
  });

  it('exits 1 on invalid input, prints every error with file:line:col, and writes nothing', async () => {
    const r = await cli(['synth', 'bad.yaml', '--out', 'out']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^bad\.yaml:10:15: error: spec\.configBase: the 'gs:\/\/' scheme is not supported/);
    expect(lines[1]).toMatch(/^bad\.yaml:11:12: error: spec\.dnsZone: 'Zlower' is not a hosted zone ID/);
    expect(lines[2]).toBe('kops-iam: 2 errors; nothing written');
    expect(readdirSync(cwd).sort()).toEqual(inputsOnly);
  });

  it('exits 1 on invalid input and leaves a previous output untouched', async () => {
    expect((await cli(['synth', 'good.yaml', '--out', 'out'])).code).toBe(0);
    const before = readFileSync(join(cwd, 'out', 'stacks', 'good.example.com', 'cdk.tf.json'), 'utf8');
    expect((await cli(['synth', 'good.yaml', 'bad.yaml', '--out', 'out'])).code).toBe(1);
    expect(readdirSync(join(cwd, 'out', 'stacks'))).toEqual(['good.example.com']);
    expect(readFileSync(join(cwd, 'out', 'stacks', 'good.example.com', 'cdk.tf.json'), 'utf8')).toBe(before);
  });

  it('reads KOPS_FEATURE_FLAGS from the environment it is given', async () => {
    const without = await cli(['synth', 'custom.yaml', '--out', 'out']);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('export KOPS_FEATURE_FLAGS="+CustomPoliciesSupport"');
    const withFlag = await cli(['synth', 'custom.yaml', '--out', 'out'], { KOPS_FEATURE_FLAGS: '+CustomPoliciesSupport' });
    expect(withFlag.code).toBe(0);
    expect(withFlag.stderr).toMatch(/^custom\.yaml:\d+:\d+: warning: spec\.customPolicies\.node: /);
  });
});

describe('validate', () => {
  it('exits 0, names the valid clusters and writes nothing', async () => {
    const r = await cli(['validate', 'good.yaml']);
    expect(r).toEqual({ code: 0, stdout: '1 cluster valid: good.example.com\n', stderr: '' });
    expect(readdirSync(cwd).sort()).toEqual(inputsOnly);
  });

  it('exits 1 on invalid input, with the same messages as synth', async () => {
    const v = await cli(['validate', 'bad.yaml']);
    const s = await cli(['synth', 'bad.yaml']);
    expect(v.code).toBe(1);
    expect(v.stderr).toBe(s.stderr);
    expect(readdirSync(cwd).sort()).toEqual(inputsOnly);
  });
});

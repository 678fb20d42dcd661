// Start-up work and the threaded synth, checked on the built CLI (dist/) in child
// processes: module loading is per process, and worker threads run built files only.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { irsaSpec, legacyCluster, strictCluster } from './manifests';
import { manyClusters, tree } from './run-cli';

const dist = join(__dirname, '..', 'dist');
let dir: string;
beforeAll(() => {
  if (!existsSync(join(dist, 'cli.js'))) throw new Error('build first: npx tsc -p apps/kops-iam/tsconfig.build.json');
  dir = mkdtempSync(join(tmpdir(), 'kops-iam-lazy-'));
  // Both generations, and a strict cluster with service-account roles and the OIDC provider.
  const clusters = [
    legacyCluster('a.example.com', '  dnsZone: Z1'),
    strictCluster('b.example.com', '  dnsZone: Z1'),
    strictCluster('c.example.com', irsaSpec()),
  ];
  writeFileSync(join(dir, 'in.yaml'), clusters.join('---\n'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a command in a fresh process and returns the package folders it loaded (from require.cache). */
function packagesLoaded(command: string): string[] {
  const script = `
    const { run } = require(${JSON.stringify(join(dist, 'cli.js'))});
    const io = { stdout() {}, stderr: (t) => process.stderr.write(t), interactive: false, env: {}, cwd: ${JSON.stringify(dir)} };
    run(${JSON.stringify(command.split(' '))}, io).then((code) => {
      const pkgs = new Set(Object.keys(require.cache).map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(f)?.[1]).filter(Boolean));
      process.stdout.write(JSON.stringify({ code, pkgs: [...pkgs].sort() }));
    });`;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { code: number; pkgs: string[] };
  expect(out.code).toBe(0);
  return out.pkgs;
}

describe('start-up work', () => {
  for (const command of ['validate in.yaml', 'explain in.yaml', 'explain in.yaml --format json']) {
    it(`${command} loads neither cdktf, nor constructs, nor the AWS provider classes`, () => {
      const pkgs = packagesLoaded(command);
      expect(pkgs).toContain('yaml');
      expect(pkgs).not.toContain('cdktf');
      expect(pkgs).not.toContain('constructs');
      expect(pkgs).not.toContain('@cdktf/provider-aws');
    });
  }

  it('synth loads cdktf, and from the provider only the classes it uses, not the package root', () => {
    const pkgs = packagesLoaded('synth in.yaml --out out');
    expect(pkgs).toContain('cdktf');
    // cdktf's zip library for assets stays unloaded (src/defer-archiver.ts).
    expect(pkgs).not.toContain('archiver');
    const script = `
      const { run } = require(${JSON.stringify(join(dist, 'cli.js'))});
      const io = { stdout() {}, stderr() {}, interactive: false, env: {}, cwd: ${JSON.stringify(dir)} };
      run(['synth', 'in.yaml', '--out', 'out2'], io).then(() => {
        const files = Object.keys(require.cache).filter((f) => f.includes('/@cdktf/provider-aws/'));
        process.stdout.write(JSON.stringify(files.map((f) => f.replace(/.*\\/@cdktf\\/provider-aws\\//, ''))));
      });`;
    const files = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
    expect(files).not.toContain('lib/index.js');
    expect(files.length).toBeLessThan(12);
  });
});

describe('start-up of the command', () => {
  /** Node's built-in modules a run of the bundled command loaded (process.moduleLoadList, read at exit). */
  function builtinsLoaded(args: string[], status = 0): string[] {
    const preload = join(dir, 'builtins.cjs');
    const out = join(dir, 'builtins.json');
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList)));`,
    );
    const r = spawnSync(process.execPath, ['-r', preload, join(__dirname, '..', 'bin', 'kops-iam.js'), ...args], { cwd: dir });
    writeFileSync(join(dir, 'stderr.txt'), r.stderr);
    expect(r.status).toBe(status);
    const list = JSON.parse(readFileSync(out, 'utf8')) as string[];
    return list.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
  }

  it('validate loads neither node:crypto (Terraform names) nor node:v8 (heap tuning): 11 ms of a 0.18 s run', () => {
    const loaded = builtinsLoaded(['validate', 'in.yaml']);
    expect(loaded).toContain('fs');
    expect(loaded).not.toContain('crypto');
    expect(loaded).not.toContain('v8');
  });

  it("validate reads AWS's action data and its input without node:fs/promises or Node's stream modules", () => {
    const policy = (action: string): string =>
      `  dnsZone: Z1\n  additionalPolicies:\n    node: '[{"Effect": "Allow", "Action": ["${action}"], "Resource": ["*"]}]'`;
    writeFileSync(join(dir, 'typo.yaml'), legacyCluster('t.example.com', policy('dynamodb:GetItm')));
    const loaded = builtinsLoaded(['validate', 'typo.yaml'], 1);
    // The action was checked against the data: the typo has its fix.
    expect(readFileSync(join(dir, 'stderr.txt'), 'utf8')).toContain("did you mean 'dynamodb:GetItem'?");
    for (const m of ['fs/promises', 'internal/fs/promises', 'stream', 'internal/fs/streams', 'internal/streams/readable'])
      expect(loaded, m).not.toContain(m);
  });

  it('a small synth tunes no heap, and loads node:crypto for its run token only; explain does without', () => {
    const synth = builtinsLoaded(['synth', 'in.yaml', '--out', 'out3']);
    expect(synth).not.toContain('v8');
    expect(synth).toContain('crypto');
    expect(builtinsLoaded(['explain', 'in.yaml'])).not.toContain('crypto');
  });
});

describe('the bundle defers what cdktf requires and a synth does not call (scripts/lazy-builtins.mjs)', () => {
  it('no thread of a large synth loads child_process or assert; the workers not crypto either', () => {
    // Above synth's 512 KiB threshold for worker threads (one per spare CPU): 20 clusters and a comment.
    const input = join(dir, 'large.yaml');
    writeFileSync(input, `${manyClusters('w', 20)}${'# padding so that the input is large\n'.repeat(17_000)}`);
    // A worker is stopped, not exited: it writes its list after each request it has handled.
    const preload = join(dir, 'thread-builtins.cjs');
    writeFileSync(
      preload,
      `const { isMainThread, parentPort, threadId } = require('node:worker_threads');
      const file = ${JSON.stringify(dir)} + '/thread-' + (isMainThread ? 'main' : threadId) + '.json';
      const list = () => process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
      const write = () => require('node:fs').writeFileSync(file, JSON.stringify(list()));
      if (isMainThread) process.on('exit', write); else parentPort.on('message', () => setImmediate(write));`,
    );
    const cli = join(__dirname, '..', 'bin', 'kops-iam.js');
    const r = spawnSync(process.execPath, ['-r', preload, cli, 'synth', input, '--out', 'large-out'], { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const threads = readdirSync(dir).filter((f) => /^thread-.*\.json$/.test(f));
    expect(threads).toContain('thread-main.json');
    expect(threads.length).toBe(1 + Math.min(availableParallelism() - 1, 3));
    for (const file of threads) {
      const loaded = JSON.parse(readFileSync(join(dir, file), 'utf8')) as string[];
      expect(loaded, file).toContain('fs');
      expect(loaded, file).not.toContain('child_process');
      expect(loaded, file).not.toContain('assert');
      // The main thread's run token is random: node:crypto.
      expect(loaded.includes('crypto'), file).toBe(file === 'thread-main.json');
    }
  });
});

describe('the deferred archiver', () => {
  it('loads the real archiver on first use, for anything that does zip', () => {
    const script = `
      require(${JSON.stringify(join(dist, 'defer-archiver.js'))});
      const path = require.resolve('archiver', { paths: [require('node:path').dirname(require.resolve('cdktf'))] });
      const before = Object.keys(require.cache).filter((f) => f.includes('/archiver/lib/')).length;
      const archive = require(path)('zip', {});
      const after = Object.keys(require.cache).filter((f) => f.includes('/archiver/lib/')).length;
      process.stdout.write(JSON.stringify({ before, after, append: typeof archive.append, finalize: typeof archive.finalize }));`;
    const r = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: dist })) as Record<string, unknown>;
    expect(r).toEqual({ before: 0, after: expect.any(Number), append: 'function', finalize: 'function' });
    expect(r.after).toBeGreaterThan(0);
  });
});

describe('threaded synth', () => {
  it('writes the same bytes with worker threads as in one thread', () => {
    const script = `
      const { loadPlans } = require('@kops-iam/core');
      const { synthToDir } = require(${JSON.stringify(join(dist, 'synth-command.js'))});
      const io = { stdout() {}, stderr: (t) => process.stderr.write(t), interactive: false, env: {} };
      const text = require('node:fs').readFileSync(${JSON.stringify(join(dir, 'many.yaml'))}, 'utf8');
      loadPlans([{ name: 'many.yaml', text }]).then(async (r) => {
        const plans = r.clusters.map((c) => c.plan);
        const one = await synthToDir(plans, ${JSON.stringify(join(dir, 'one'))}, io, 0);
        const three = await synthToDir(plans, ${JSON.stringify(join(dir, 'three'))}, io, 3);
        process.stdout.write(JSON.stringify([one, three]));
      });`;
    writeFileSync(join(dir, 'many.yaml'), manyClusters('t', 40));
    const codes = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: dist })) as number[];
    expect(codes).toEqual([0, 0]);
    const one = tree(join(dir, 'one'));
    expect(Object.keys(one)).toHaveLength(41);
    expect(tree(join(dir, 'three'))).toEqual(one);
    // Nothing is left behind by cdktf in the working directory.
    expect(existsSync(join(dist, 'stacks'))).toBe(false);
  }, 60_000);
});

// One run at a time per output folder, and what killed runs leave behind: planted here as a
// killed run leaves them (interrupt.test.ts kills real runs).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clusterYaml } from './helpers';
import { cli as runIn, leftovers, spawnCli, tree, until } from './run-cli';

let cwd: string;
let out: string;
beforeEach(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'kops-iam-lock-'));
  out = join(cwd, 'out');
  writeFileSync(join(cwd, 'a.yaml'), clusterYaml('a.example.com', '  dnsZone: Z1'));
  writeFileSync(join(cwd, 'b.yaml'), clusterYaml('b.example.com', '  dnsZone: Z1'));
  expect((await cli(['synth', 'a.yaml', '--out', 'out'])).code).toBe(0);
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

const cli = (argv: string[], env: Record<string, string> = {}) => runIn(cwd, argv, { env });

/** The id of a process that has ended: nothing runs under it now. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function plantLock(pid: number, host = hostname()): void {
  writeFileSync(join(out, '.kops-iam.lock'), JSON.stringify({ pid, host, id: `kops-iam-${pid}-0badc0de` }));
}

describe('leftovers of killed runs', () => {
  it("a killed run's temp files are removed by the next run", async () => {
    const pid = deadPid();
    const token = `.kops-iam-${pid}-deadbeef`;
    // What a run killed while staging leaves: a new stack's folder, an existing stack's file,
    // the manifest's file, its lock and a lock attempt.
    mkdirSync(join(out, 'stacks', `${token}-s3.tmp`));
    writeFileSync(join(out, 'stacks', `${token}-s3.tmp`, 'cdk.tf.json'), '{"half":');
    writeFileSync(join(out, 'stacks', 'a.example.com', `${token}-stack.tmp`), '{"half":');
    writeFileSync(join(out, `${token}-manifest.tmp`), '{');
    writeFileSync(join(out, `${token}-lock.tmp`), '{}');
    plantLock(pid);
    const before = tree(out);
    const r = await cli(['synth', 'b.yaml', '--out', 'out']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(leftovers(out)).toEqual([]);
    const after = tree(out);
    expect(after['stacks/a.example.com/cdk.tf.json']).toBe(before['stacks/a.example.com/cdk.tf.json']);
    expect(Object.keys(after).sort()).toEqual(['manifest.json', 'stacks/a.example.com/cdk.tf.json', 'stacks/b.example.com/cdk.tf.json']);
  });

  it("keeps a live run's lock attempt and names that are not kops-iam's", async () => {
    const alive = `.kops-iam-${process.pid}-0123abcd-lock.tmp`;
    writeFileSync(join(out, alive), '{}');
    writeFileSync(join(out, '.kops-iam-notes.tmp'), 'mine');
    writeFileSync(join(out, 'stacks', 'a.example.com', '.cdk.tf.json.swp'), 'editor');
    expect((await cli(['synth', 'a.yaml', '--out', 'out'])).code).toBe(0);
    expect(readFileSync(join(out, alive), 'utf8')).toBe('{}');
    expect(readFileSync(join(out, '.kops-iam-notes.tmp'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, 'stacks', 'a.example.com', '.cdk.tf.json.swp'), 'utf8')).toBe('editor');
  });
});

describe('the lock', () => {
  it('a stale lock whose process is gone is taken over', async () => {
    plantLock(deadPid());
    expect(await cli(['synth', 'b.yaml', '--out', 'out'], { KOPS_IAM_LOCK_WAIT: '0' })).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(join(out, '.kops-iam.lock'))).toBe(false);
  });

  it("a live run's lock is exit 2 with a clear one-line message, and nothing changes", async () => {
    plantLock(process.pid);
    const before = tree(out);
    const r = await cli(['synth', 'b.yaml', '--out', 'out'], { KOPS_IAM_LOCK_WAIT: '0' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `kops-iam: cannot use --out ${out}: another kops-iam run (pid ${process.pid}) is writing it; ` +
        `try again when it ends, or remove ${join(out, '.kops-iam.lock')} if no such run exists\n`,
    );
    expect(tree(out)).toEqual(before);
  });

  it('a lock of another machine counts as live', async () => {
    plantLock(deadPid(), 'elsewhere.example.com');
    const r = await cli(['synth', 'b.yaml', '--out', 'out'], { KOPS_IAM_LOCK_WAIT: '0' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/another kops-iam run \(pid \d+ on elsewhere\.example\.com\) is writing it/);
  });

  it('waits for a live lock and writes once it is released', async () => {
    plantLock(process.pid);
    setTimeout(() => rmSync(join(out, '.kops-iam.lock')), 400);
    const r = await cli(['synth', 'b.yaml', '--out', 'out'], { KOPS_IAM_LOCK_WAIT: '20' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`kops-iam: waiting for another kops-iam run (pid ${process.pid}) to finish writing ${out}\n`);
    expect(Object.keys(tree(out)).sort()).toEqual([
      'manifest.json',
      'stacks/a.example.com/cdk.tf.json',
      'stacks/b.example.com/cdk.tf.json',
    ]);
  });

  it('Ctrl-C while waiting for a live lock ends the run at once, writing nothing and leaving the lock', async () => {
    plantLock(process.pid);
    const before = tree(out);
    const child = spawnCli(cwd, ['synth', 'b.yaml', '--out', 'out'], { env: { ...process.env, KOPS_IAM_LOCK_WAIT: '60' } });
    expect(await until(() => child.stderr().includes('waiting for'))).toBe(true);
    const sent = Date.now();
    child.kill('SIGINT');
    const end = await child.ended;
    expect(end.signal).toBe('SIGINT');
    expect(Date.now() - sent).toBeLessThan(5_000);
    expect(tree(out)).toEqual(before);
  });

  it('two runs in one process take turns and both stacks are listed', async () => {
    const [one, two] = await Promise.all([cli(['synth', 'a.yaml', '--out', 'fresh']), cli(['synth', 'b.yaml', '--out', 'fresh'])]);
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(Object.keys(JSON.parse(readFileSync(join(cwd, 'fresh', 'manifest.json'), 'utf8')).stacks as object)).toEqual([
      'a.example.com',
      'b.example.com',
    ]);
    expect(leftovers(join(cwd, 'fresh'))).toEqual([]);
  });
});

// A full or read-only file system, made for real with a small tmpfs (root with mount rights only).
const canMount = ((): boolean => {
  if (process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'kops-iam-mount-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
})();

describe.runIf(canMount)('a full or read-only file system', () => {
  let mnt: string;
  beforeEach(() => {
    mnt = join(cwd, 'mnt');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96k', 'tmpfs', mnt]);
  });
  afterEach(() => execFileSync('umount', ['-l', mnt]));

  it('ENOSPC while writing stacks is exit 2 with one line, the progress line cleared first, and nothing changes', async () => {
    expect((await cli(['synth', 'a.yaml', '--out', 'mnt/out'])).code).toBe(0);
    const before = tree(join(mnt, 'out'));
    const many = Array.from({ length: 60 }, (_, i) => clusterYaml(`c${i}.example.com`, '  dnsZone: Z1')).join('---\n');
    writeFileSync(join(cwd, 'many.yaml'), many);
    const r = await runIn(cwd, ['synth', 'many.yaml', '--out', 'mnt/out'], { interactive: true });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const message = r.stderr.slice(r.stderr.indexOf('kops-iam: '));
    expect(message).toMatch(/^kops-iam: cannot write .*: no space left on device\n$/);
    // Whatever progress was drawn, the message starts on a cleared line.
    const progress = r.stderr.slice(0, r.stderr.length - message.length);
    expect(progress === '' || progress.endsWith('\r\x1b[K')).toBe(true);
    expect(tree(join(mnt, 'out'))).toEqual(before);
    expect(leftovers(join(mnt, 'out'))).toEqual([]);
  }, 60_000);

  it('a read-only --out is exit 2 with one line, and nothing changes', async () => {
    expect((await cli(['synth', 'a.yaml', '--out', 'mnt/out'])).code).toBe(0);
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    const before = tree(join(mnt, 'out'));
    for (const target of ['mnt/out', 'mnt/new/out']) {
      const r = await cli(['synth', 'b.yaml', '--out', target]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^kops-iam: cannot use --out .*: read-only file system\n$/);
    }
    expect(tree(join(mnt, 'out'))).toEqual(before);
  });
});

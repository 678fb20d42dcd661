// An interrupted synth, run as the built command in a child process: signals are per process.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { clusterYaml } from './helpers';

const cli = join(__dirname, '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'kops-iam-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('leaves neither a staging folder nor a changed output behind when interrupted mid-synth', async () => {
  // Enough clusters that the run is still writing when the signal comes.
  writeFileSync(join(dir, 'many.yaml'), Array.from({ length: 3000 }, (_, i) => clusterYaml(`c${i}.example.com`, '  dnsZone: Z1')).join('---\n'));
  const out = join(dir, 'out');
  mkdirSync(join(out, 'stacks'), { recursive: true });
  writeFileSync(join(out, 'manifest.json'), '{"previous": true}\n');
  const child = spawn(process.execPath, [cli, 'synth', 'many.yaml', '--out', 'out'], { cwd: dir, stdio: 'ignore' });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  // Interrupted once its staging folder has stacks in it.
  const staging = () => readdirSync(dir).find((f) => f.startsWith('.out.tmp-'));
  for (let i = 0; i < 400; i += 1) {
    const s = staging();
    if (s !== undefined && existsSync(join(dir, s, 'stacks')) && readdirSync(join(dir, s, 'stacks')).length > 5) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(staging()).toBeDefined();
  child.kill('SIGINT');
  const { signal } = await ended;
  expect(signal).toBe('SIGINT');
  expect(readdirSync(dir).sort()).toEqual(['many.yaml', 'out']);
  expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe('{"previous": true}\n');
});

// Pass one on several threads (src/parallel-load.ts) must give exactly what loadPlans gives:
// the same plans, and the same diagnostics at the same lines, wherever the input is cut.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitInputs } from '../src/split-input';

const dist = join(__dirname, '..', 'dist');

/** Clusters, their groups, a broken cluster, a group before its cluster, a cluster defined twice, and a non-kops document. */
function input(): string {
  const cluster = (name: string, extra = '') =>
    `apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\nmetadata:\n  name: ${name}\nspec:\n  cloudProvider: aws\n` +
    `  configBase: s3://state/${name}\n  subnets:\n  - name: a\n    zone: eu-west-1a\n${extra}`;
  const group = (name: string, cluster: string, role: string) =>
    `apiVersion: kops.k8s.io/v1alpha2\nkind: InstanceGroup\nmetadata:\n  name: ${name}\n  labels:\n` +
    `    kops.k8s.io/cluster: ${cluster}\nspec:\n  role: ${role}\n`;
  const docs: string[] = [group('early', 'c7.example.com', 'Node')];
  for (let i = 0; i < 40; i += 1) {
    docs.push(
      cluster(`c${i}.example.com`, i === 13 ? '  cloudLabels:\n    Name: reserved\n' : ''),
      group(`m${i}`, `c${i}.example.com`, 'Master'),
    );
  }
  docs.push('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n', cluster('c3.example.com'));
  return `${docs.join('---\n')}`;
}

describe('pass one on several threads', () => {
  it('cuts only before document starts and keeps the file lines', () => {
    const text = input();
    const parts = splitInputs([{ name: 'in.yaml', text }], 3);
    expect(parts.length).toBe(3);
    const pieces = parts.flat();
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    for (const p of pieces.slice(1)) {
      expect(p.text.startsWith('---')).toBe(true);
      expect(text.split('\n')[(p.firstLine ?? 1) - 1]).toBe(p.text.split('\n')[0]);
    }
  });

  it('never cuts before a directive of the next document', () => {
    const text = `${'a: 1\n'.repeat(50)}%YAML 1.1\n---\nb: 2\n---\nc: 3\n`;
    const pieces = splitInputs([{ name: 'in.yaml', text }], 2).flat();
    expect(pieces.every((p) => !p.text.trimEnd().endsWith('%YAML 1.1'))).toBe(true);
  });

  it('gives the plans and diagnostics of loadPlans (built worker threads)', () => {
    if (!existsSync(join(dist, 'synth-worker.js'))) throw new Error('build first: npm run build');
    const dir = mkdtempSync(join(tmpdir(), 'kops-iam-parallel-'));
    try {
      writeFileSync(join(dir, 'in.yaml'), input());
      const script = `
        const core = require(${JSON.stringify(require.resolve('@kops-iam/core'))});
        const { SynthPool } = require(${JSON.stringify(join(dist, 'synth-pool.js'))});
        const { loadOnThreads } = require(${JSON.stringify(join(dist, 'parallel-load.js'))});
        const text = require('node:fs').readFileSync('in.yaml', 'utf8');
        (async () => {
          const pool = new SynthPool(2);
          const threads = await loadOnThreads([{ name: 'in.yaml', text }], undefined, pool);
          await pool.stop();
          const one = await core.loadPlans([{ name: 'in.yaml', text }]);
          process.stdout.write(JSON.stringify({ threads, one }));
        })();`;
      const r = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' })) as Record<
        string,
        { diagnostics: unknown[] }
      >;
      expect(r.threads?.diagnostics.length).toBeGreaterThan(1);
      expect(r.threads).toEqual(r.one);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

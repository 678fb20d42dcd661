import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlans } from '@kops-iam/core';
import { afterAll, describe, expect, it } from 'vitest';
import { StackSynthesizer } from '../src/stack-json';

// These run the built app (dist/), as `cdktf synth` does through cdktf.json's "app".
const appDir = join(__dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'kops-iam-main-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function node(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd: appDir, env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The `"//"` block the cdktf app adds for cdktf-cli, exactly as it is written at the top of the stack. */
function cdktfMetadataBlock(stackName: string): string {
  const version = (JSON.parse(readFileSync(require.resolve('cdktf/package.json'), 'utf8')) as { version: string }).version;
  const fields = `      "version": "${version}",\n      "stackName": "${stackName}",\n      "backend": "local"\n`;
  return `  "//": {\n    "metadata": {\n${fields}    }\n  },\n`;
}

describe('the cdktf app (dist/main.js)', () => {
  it('synthesizes the bundled example byte for byte as kops-iam synth does, plus the metadata cdktf-cli reads', () => {
    const cdktfOut = join(tmp, 'cdktf-out');
    const main = node(['dist/main.js'], { CDKTF_OUTDIR: cdktfOut });
    expect(main.stderr).toBe('');
    expect(main.status).toBe(0);
    const kopsOut = join(tmp, 'kops-out');
    const cli = node(['dist/cli.js', 'synth', 'examples/seed.yaml', '--out', kopsOut], {});
    expect(cli.status).toBe(0);

    const fromApp = readFileSync(join(cdktfOut, 'stacks', 'seed.example.com', 'cdk.tf.json'), 'utf8');
    const fromCli = readFileSync(join(kopsOut, 'stacks', 'seed.example.com', 'cdk.tf.json'), 'utf8');
    // The one difference: cdktf-cli reads "//".metadata of every stack after `cdktf synth`
    // (it fails without it), so the app keeps that block; it holds no path or machine detail.
    expect(fromCli.startsWith('{\n')).toBe(true);
    expect(fromApp).toBe(`{\n${cdktfMetadataBlock('seed.example.com')}${fromCli.slice(2)}`);
    expect(fromApp).not.toContain(tmp);
    expect(fromApp).not.toContain(appDir);
  });

  it('synthesizes the spec named by KOPS_IAM_SPEC, one stack per cluster', () => {
    const out = join(tmp, 'spec-out');
    const spec = join(__dirname, '..', '..', '..', 'test-fixtures', 'cases', 'two-clusters', 'clusters.yaml');
    const r = node(['dist/main.js'], { CDKTF_OUTDIR: out, KOPS_IAM_SPEC: spec });
    expect(r.status).toBe(0);
    expect(readdirSync(join(out, 'stacks')).sort()).toEqual(['alpha.example.com', 'beta.example.com']);
  });

  // cdktf checks `terraform version` (>= 1.5) for every import block when the app synthesizes.
  it.runIf(spawnSync('terraform', ['version']).status === 0)(
    'adds the import blocks of kops-iam synth --import with KOPS_IAM_IMPORT=1',
    async () => {
      const out = join(tmp, 'import-out');
      const r = node(['dist/main.js'], { CDKTF_OUTDIR: out, KOPS_IAM_IMPORT: '1' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const written = readFileSync(join(out, 'stacks', 'seed.example.com', 'cdk.tf.json'), 'utf8');
      const text = readFileSync(join(appDir, 'examples', 'seed.yaml'), 'utf8');
      const plan = (await loadPlans([{ name: 'seed.yaml', text }])).clusters[0]!.plan;
      const expected = new StackSynthesizer(join(tmp, 'import-synth'), { importExisting: true }).synthesize(plan);
      expect(written).toBe(`{\n${cdktfMetadataBlock('seed.example.com')}${expected.slice(2)}`);
      expect(written).toContain('"import": [');
    },
  );

  it('prints the diagnostics and exits 1 for an invalid spec, writing no stack', () => {
    const out = join(tmp, 'bad-out');
    const spec = join(tmp, 'bad.yaml');
    writeFileSync(spec, 'metadata:\n  name: bad.example.com\nspec:\n  cloudProvider: gce\n  zones:\n  - name: eu-west-1a\n');
    const r = node(['dist/main.js'], { CDKTF_OUTDIR: out, KOPS_IAM_SPEC: spec });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${spec}:4:18: error: spec.cloudProvider: cloudProvider is 'gce'`);
    expect(existsSync(join(out, 'stacks'))).toBe(false);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlans, streamPlans, type InputFile, type PlannedCluster } from '../src/load';
import { clusterYaml, errorsOf, instanceGroupYaml, warningsOf } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'kops-iam-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a file into the test folder and gives it as an input read in pieces. */
function fileInput(name: string, text: string): InputFile {
  const path = join(dir, name);
  writeFileSync(path, text);
  return { name, path };
}

/** streamPlans, recording every plan in the order handed out. */
async function stream(files: readonly InputFile[], onPlan?: (c: PlannedCluster) => void) {
  const handed: PlannedCluster[] = [];
  const result = await streamPlans(files, {}, (c) => {
    handed.push(c);
    onPlan?.(c);
  });
  return { result, handed, names: handed.map((c) => c.model.name) };
}

const bastionTopology = '  topology:\n    bastion:\n      bastionPublicName: bastion.x';
const withGroups = (cluster: string, ...roles: string[]) => roles.map((r) => instanceGroupYaml(r.toLowerCase(), r, cluster)).join('---\n');

describe('streamPlans', () => {
  it('hands out each cluster when the next one starts, in input order, with the names of the valid ones', async () => {
    const text = [clusterYaml('a.example.com'), withGroups('a.example.com', 'Master', 'Node'), clusterYaml('b.example.com'), withGroups('b.example.com', 'Node')].join('\n---\n');
    const { result, names, handed } = await stream([fileInput('ab.yaml', text)]);
    expect(result).toMatchObject({ ok: true, clusters: ['a.example.com', 'b.example.com'] });
    expect(names).toEqual(['a.example.com', 'b.example.com']);
    expect(handed.map((c) => c.model.roles)).toEqual([['master', 'node'], ['node']]);
  });

  it('hands out no plan after an error, and ends not ok with every error', async () => {
    const text = [clusterYaml('a.example.com'), clusterYaml('bad.example.com', '  configBase: gs://x/y'), clusterYaml('c.example.com'), clusterYaml('bad2.example.com', '  configBase: gs://x/y')].join('\n---\n');
    const { result, names } = await stream([fileInput('bad.yaml', text)]);
    // a was handed out before the bad cluster was read: a caller writes it only provisionally.
    expect(names).toEqual(['a.example.com']);
    expect(result.ok).toBe(false);
    expect(result.clusters).toEqual([]);
    expect(errorsOf(result.diagnostics).map((d) => d.line)).toHaveLength(2);
  });

  it('plans a cluster again when its InstanceGroups come in a later file, and the second plan is the one a single file gives', async () => {
    const cluster = clusterYaml('late.example.com', bastionTopology);
    const groups = withGroups('late.example.com', 'Master', 'Node');
    const { result, handed } = await stream([fileInput('cluster.yaml', cluster), fileInput('groups.yaml', groups)]);
    expect(result.ok).toBe(true);
    // First planned from the spec alone (bastion topology: a bastion role), then from its InstanceGroups.
    expect(handed.map((c) => c.model.roles)).toEqual([
      ['master', 'node', 'bastion'],
      ['master', 'node'],
    ]);
    const together = await loadPlans([{ name: 'cluster.yaml', text: `${cluster}\n---\n${groups}` }]);
    expect(handed[1]?.plan).toEqual(together.clusters[0]?.plan);
  });

  it('plans once when the later InstanceGroups do not change the roles', async () => {
    const { result, names } = await stream([fileInput('c.yaml', clusterYaml('same.example.com')), fileInput('g.yaml', withGroups('same.example.com', 'Master', 'Node'))]);
    expect(result.ok).toBe(true);
    expect(names).toEqual(['same.example.com']);
  });

  it('takes InstanceGroups read before their cluster', async () => {
    const { result, handed } = await stream([fileInput('g.yaml', withGroups('first.example.com', 'Node')), fileInput('c.yaml', clusterYaml('first.example.com'))]);
    expect(result.ok).toBe(true);
    expect(handed.map((c) => c.model.roles)).toEqual([['node']]);
  });

  it('warns once, where the policy is written, about an additional policy whose role a later file leaves out', async () => {
    const extra = '  additionalPolicies:\n    bastion: |\n      [{"Effect": "Allow", "Action": ["ec2:DescribeRegions"], "Resource": ["*"]}]';
    const { result } = await stream([fileInput('c.yaml', clusterYaml('warn.example.com', extra)), fileInput('g.yaml', withGroups('warn.example.com', 'Master', 'Node'))]);
    expect(result.ok).toBe(true);
    expect(warningsOf(result.diagnostics)).toEqual([expect.objectContaining({ file: 'c.yaml', line: 11, path: 'spec.additionalPolicies.bastion' })]);
    expect(warningsOf(result.diagnostics)[0]?.message).toMatch(/no InstanceGroup of this cluster has the bastions role/);
  });

  it('is an error, not a wrong plan, when a file changes between its two readings', async () => {
    const cluster = fileInput('moving.yaml', clusterYaml('moving.example.com', bastionTopology));
    const groups = fileInput('moving-groups.yaml', withGroups('moving.example.com', 'Node'));
    const { result, names } = await stream([cluster, groups], () => writeFileSync(join(dir, 'moving.yaml'), clusterYaml('other.example.com')));
    expect(names).toEqual(['moving.example.com']);
    expect(result.ok).toBe(false);
    expect(errorsOf(result.diagnostics).map((d) => d.message)).toEqual(['moving.yaml changed while kops-iam was reading it; run kops-iam again']);
  });

  it('reads a file in pieces as it reads the same text given whole', async () => {
    // Long enough for several pieces, with documents cut across them.
    const many = Array.from({ length: 300 }, (_, i) => `${clusterYaml(`c${i}.example.com`)}\n---\n${withGroups(`c${i}.example.com`, 'Master', 'Node')}`).join('---\n');
    const fromFile = await loadPlans([fileInput('many.yaml', many)]);
    const whole = await loadPlans([{ name: 'many.yaml', text: many }]);
    expect(fromFile.ok).toBe(true);
    expect(fromFile.clusters).toHaveLength(300);
    expect(fromFile).toEqual(whole);
  });
});

import { describe, expect, it } from 'vitest';
import { loadPlans, planManifests, type LoadResult } from '../src/load';
import { Report } from '../src/diagnostics/report';
import type { InputFile } from '../src/input/input-file';
import { joinManifests, readManifests } from '../src/manifest/read-documents';
import { clusterYaml, errorsOf, instanceGroupYaml, instanceRole, legacyClusterYaml, load, loadOne, warningsOf } from './helpers';

/** The instance roles planned for a cluster (managed or existing), in plan order. */
function rolesOf(r: LoadResult, cluster: string): string[] | undefined {
  return r.clusters
    .find((c) => c.plan.cluster === cluster)
    ?.plan.roles.flatMap((x) => (x.subject.kind === 'instance' ? [x.subject.role] : []));
}

const join = (...texts: string[]) => texts.join('\n---\n');

describe('documents', () => {
  it('reads the bare metadata + spec form as a Cluster', async () => {
    const r = await load('metadata:\n  name: bare.example.com\nspec:\n  cloudProvider: aws\n  zones:\n  - name: eu-central-1a\n');
    expect(r.ok).toBe(true);
    expect(r.clusters.map((c) => [c.plan.cluster, c.plan.generation.kind])).toEqual([['bare.example.com', 'legacy']]);
  });

  it.each(['kops/v1alpha1', 'kops/v1alpha2', 'kops.k8s.io/v1alpha2'])('reads apiVersion %s', async (apiVersion) => {
    const r = await load(clusterYaml('v.example.com', '', 'eu-central-1a', apiVersion));
    expect(r.ok).toBe(true);
  });

  it('accepts cloudProvider in the map form of newer kops', async () => {
    const r = await load(clusterYaml('m.example.com').replace('  cloudProvider: aws', '  cloudProvider:\n    aws: {}'));
    expect(r.ok).toBe(true);
  });

  it('returns no plan at all when any cluster has an error', async () => {
    const r = await load(join(clusterYaml('good.example.com'), clusterYaml('bad.example.com', '  configBase: gs://x/y')));
    expect(r.ok).toBe(false);
    expect(r.clusters).toEqual([]);
  });

  it('returns diagnostics sorted by file, line and column', async () => {
    const r = await loadPlans([
      { name: 'b.yaml', text: clusterYaml('b.example.com', '  configBase: gs://x/y\n  keyStore: ftp://z') },
      { name: 'a.yaml', text: clusterYaml('a.example.com', '  configBase: gs://x/y') },
    ]);
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.code}`)).toEqual(['a.yaml:10:KI211', 'b.yaml:10:KI211', 'b.yaml:11:KI211']);
  });

  it('warns that kops 1.37 refuses a strict gossip cluster, whose IAM then has no DNS permissions (KI207)', async () => {
    const r = await load(clusterYaml('g.k8s.local'));
    expect(r.ok).toBe(true);
    expect(warningsOf(r.diagnostics).map((d) => [d.code, d.path])).toEqual([['KI207', 'spec']]);
    expect(warningsOf((await load(legacyClusterYaml('g.k8s.local'))).diagnostics)).toEqual([]);
  });
});

describe('clusters', () => {
  it('plans each cluster of one file separately, once', async () => {
    const r = await load(
      join(clusterYaml('one.example.com', '  dnsZone: Z1'), clusterYaml('two.example.com', '  dnsZone: Z2', 'us-east-1a')),
    );
    expect(r.ok).toBe(true);
    expect(r.clusters.map((c) => [c.plan.cluster, c.plan.region, c.spec.name])).toEqual([
      ['one.example.com', 'eu-central-1', 'one.example.com'],
      ['two.example.com', 'us-east-1', 'two.example.com'],
    ]);
  });

  it('is an error when a cluster is defined twice, even across files, at the second (KI107)', async () => {
    const r = await loadPlans([
      { name: 'a.yaml', text: clusterYaml('dup.example.com') },
      { name: 'b.yaml', text: clusterYaml('dup.example.com') },
    ]);
    expect(r.ok).toBe(false);
    expect(errorsOf(r.diagnostics)).toEqual([
      expect.objectContaining({
        code: 'KI107',
        file: 'b.yaml',
        line: 4,
        path: 'metadata.name',
        message: "cluster 'dup.example.com' is defined twice; the first is at a.yaml:4",
      }),
    ]);
  });

  it('gives one error when the input has InstanceGroups but no Cluster, at the first group (KI111)', async () => {
    const r = await loadPlans([
      { name: 'g.yaml', text: join(instanceGroupYaml('nodes', 'Node'), instanceGroupYaml('more', 'Node', 'x.example.com')) },
      { name: 'h.yaml', text: instanceGroupYaml('m', 'Master') },
    ]);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: 'KI111',
        file: 'g.yaml',
        line: 1,
        message:
          'the input has InstanceGroups but no Cluster; pass the cluster manifest too (kops get cluster NAME -o yaml), in the same ' +
          'file or as another FILE',
      }),
    ]);
  });

  it('gives one error when the input has no kops document at all (KI111), but not on top of a broken file', async () => {
    const other = 'apiVersion: apps/v1\nkind: Deployment\n';
    const r = await loadPlans([{ name: 'x.yaml', text: other }]);
    expect(r.diagnostics.map((d) => [d.code, d.file, d.line, d.message])).toEqual([
      ['KI111', 'x.yaml', 1, 'no kops Cluster in the input; expected a document with kind: Cluster (or the bare metadata + spec form)'],
    ]);
    const broken = await loadPlans([{ name: 'x.yaml', text: 'a: [\n' }]);
    expect(broken.diagnostics.map((d) => d.code)).toEqual(['KI003']);
  });
});

describe('InstanceGroup assignment (pass two)', () => {
  it('follows the kops.k8s.io/cluster label, across files', async () => {
    const r = await loadPlans([
      { name: 'clusters.yaml', text: join(clusterYaml('a.example.com'), clusterYaml('b.example.com')) },
      {
        name: 'igs.yaml',
        text: join(
          instanceGroupYaml('m', 'Master', 'a.example.com'),
          instanceGroupYaml('nodes', 'Node', 'a.example.com'),
          instanceGroupYaml('bastions', 'Bastion', 'a.example.com'),
          instanceGroupYaml('nodes', 'Node', 'b.example.com'),
        ),
      },
    ]);
    expect(r.ok).toBe(true);
    expect(rolesOf(r, 'a.example.com')).toEqual(['master', 'node', 'bastion']);
    expect(rolesOf(r, 'b.example.com')).toEqual(['node']);
    expect(r.clusters.map((c) => c.groups.map((g) => g.name))).toEqual([['m', 'nodes', 'bastions'], ['nodes']]);
  });

  it('takes InstanceGroups read before their cluster, in the same file and in an earlier file', async () => {
    const same = await load(join(instanceGroupYaml('n', 'Node', 'first.example.com'), clusterYaml('first.example.com')));
    expect(rolesOf(same, 'first.example.com')).toEqual(['node']);
    const across = await loadPlans([
      { name: 'g.yaml', text: instanceGroupYaml('n', 'Node', 'first.example.com') },
      { name: 'c.yaml', text: clusterYaml('first.example.com', '  topology:\n    bastion: {}') },
    ]);
    expect(across.ok).toBe(true);
    // Planned once, from its InstanceGroups: no bastion role, although the topology asks for one without groups.
    expect(rolesOf(across, 'first.example.com')).toEqual(['node']);
    expect(across.clusters).toHaveLength(1);
  });

  it('gives an unlabelled InstanceGroup to the only cluster, wherever it is read', async () => {
    const r = await loadPlans([
      { name: 'g.yaml', text: instanceGroupYaml('n', 'Node') },
      { name: 'c.yaml', text: clusterYaml('only.example.com') },
    ]);
    expect(r.ok).toBe(true);
    expect(rolesOf(r, 'only.example.com')).toEqual(['node']);
  });

  it('is an error for an unlabelled InstanceGroup with several clusters (KI110)', async () => {
    const r = await load(join(clusterYaml('a.example.com'), clusterYaml('b.example.com'), instanceGroupYaml('n', 'Node')));
    expect(r.ok).toBe(false);
    expect(errorsOf(r.diagnostics).map((d) => [d.code, d.line, d.path, d.message])).toEqual([
      ['KI110', 23, 'metadata', 'InstanceGroup without a kops.k8s.io/cluster label, and the input has 2 clusters; add the label'],
    ]);
  });

  it('is an error for a label naming a cluster not in the input (KI109)', async () => {
    const r = await load(join(clusterYaml('a.example.com'), instanceGroupYaml('n', 'Node', 'other.example.com')));
    expect(r.ok).toBe(false);
    expect(errorsOf(r.diagnostics)).toEqual([
      expect.objectContaining({
        code: 'KI109',
        line: 17,
        col: 26,
        path: 'metadata.labels["kops.k8s.io/cluster"]',
        message:
          "InstanceGroup names cluster 'other.example.com', which is not in the input (clusters: a.example.com); fix the label or pass " +
          "that cluster's manifest too",
      }),
    ]);
  });

  it('is an error for an unknown role, with a hint for a case mistake (KI108)', async () => {
    const r = await load(join(clusterYaml('a.example.com'), instanceGroupYaml('n', 'node')));
    expect(errorsOf(r.diagnostics).map((d) => [d.code, d.message])).toEqual([
      [
        'KI108',
        "unknown InstanceGroup role 'node'; did you mean 'Node'? kops-iam builds IAM for ControlPlane (or Master), APIServer, Node and " +
          'Bastion',
      ],
    ]);
  });
});

describe('roles in use', () => {
  it('are master and node without InstanceGroups', async () => {
    expect(rolesOf(await load(clusterYaml('r.example.com')), 'r.example.com')).toEqual(['master', 'node']);
  });

  it('add bastion when topology.bastion is set', async () => {
    const r = await load(clusterYaml('r.example.com', '  topology:\n    bastion:\n      bastionPublicName: b.r.example.com'));
    expect(rolesOf(r, 'r.example.com')).toEqual(['master', 'node', 'bastion']);
  });

  it('do not add bastion for topology.bastion: false or null', async () => {
    expect(rolesOf(await load(clusterYaml('r.example.com', '  topology:\n    bastion: false')), 'r.example.com')).toEqual([
      'master',
      'node',
    ]);
    expect(rolesOf(await load(clusterYaml('r.example.com', '  topology:\n    bastion:')), 'r.example.com')).toEqual(['master', 'node']);
  });

  it('add bastion when additionalPolicies names it', async () => {
    const r = await load(
      clusterYaml(
        'r.example.com',
        '  additionalPolicies:\n    bastion: \'[{"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*"}]\'',
      ),
    );
    expect(rolesOf(r, 'r.example.com')).toEqual(['master', 'node', 'bastion']);
  });

  it('add bastion when customPolicies names it', async () => {
    const r = await load(
      legacyClusterYaml('r.example.com', '  customPolicies:\n    bastion: arn:aws:iam::123456789012:role/bastion'),
      '+CustomPoliciesSupport',
    );
    expect(r.ok).toBe(true);
    expect(rolesOf(r, 'r.example.com')).toEqual(['master', 'node', 'bastion']);
  });

  it('are those of the InstanceGroups when there are any; ControlPlane is master, APIServer apiserver', async () => {
    const r = await load(
      join(
        clusterYaml('r.example.com', '  topology:\n    bastion: {}'),
        instanceGroupYaml('n', 'Node'),
        instanceGroupYaml('a', 'APIServer'),
        instanceGroupYaml('cp', 'ControlPlane'),
      ),
    );
    expect(rolesOf(r, 'r.example.com')).toEqual(['master', 'apiserver', 'node']);
  });

  it('warn (and build nothing) for a policy of a role no InstanceGroup has (KI113)', async () => {
    const extra = '  additionalPolicies:\n    bastion: \'[{"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*"}]\'';
    const r = await load(join(clusterYaml('r.example.com', extra), instanceGroupYaml('m', 'Master'), instanceGroupYaml('n', 'Node')));
    expect(r.ok).toBe(true);
    expect(rolesOf(r, 'r.example.com')).toEqual(['master', 'node']);
    expect(warningsOf(r.diagnostics)).toEqual([
      expect.objectContaining({
        code: 'KI113',
        path: 'spec.additionalPolicies.bastion',
        line: 11,
        message: 'ignored: no InstanceGroup of this cluster has the bastions role, so its additional policy is not created',
      }),
    ]);
  });

  it('warn once, where the policy is written, when the groups come from a later file', async () => {
    const extra =
      '  additionalPolicies:\n    bastion: |\n      [{"Effect": "Allow", "Action": ["ec2:DescribeRegions"], "Resource": ["*"]}]';
    const r = await loadPlans([
      { name: 'c.yaml', text: clusterYaml('warn.example.com', extra) },
      {
        name: 'g.yaml',
        text: join(instanceGroupYaml('m', 'Master', 'warn.example.com'), instanceGroupYaml('n', 'Node', 'warn.example.com')),
      },
    ]);
    expect(r.ok).toBe(true);
    expect(warningsOf(r.diagnostics)).toEqual([
      expect.objectContaining({ code: 'KI113', file: 'c.yaml', line: 11, path: 'spec.additionalPolicies.bastion' }),
    ]);
  });
});

describe('what is validated is what is planned', () => {
  // Guards a fixed bug (src/input/yaml-file.ts / yaml-node.ts): an alias to a missing anchor reads as null, so the permissions boundary
  // below is silently dropped and the roles are planned without it.
  it('refuses a permissions boundary written as an alias to an anchor that does not exist', async () => {
    const r = await load(clusterYaml('b.example.com', '  iam:\n    permissionsBoundary: *boundary'));
    expect(r.ok).toBe(false);
  });

  it('plans the boundary written', async () => {
    const { plan } = await loadOne(clusterYaml('b.example.com', '  iam:\n    permissionsBoundary: arn:aws:iam::123456789012:policy/b'));
    expect(instanceRole(plan, 'master').permissionsBoundary).toBe('arn:aws:iam::123456789012:policy/b');
  });
});

describe('a large input read in parts (pass one on other threads)', () => {
  const whole = [
    clusterYaml('a.example.com', '  topology:\n    bastion: {}'),
    instanceGroupYaml('b', 'Node', 'b.example.com'),
    clusterYaml('b.example.com', '  configBase: gs://wrong/scheme'),
    instanceGroupYaml('a', 'Node', 'a.example.com'),
    clusterYaml('a.example.com'),
  ].join('\n---\n');

  /** The text cut before its third `---` line: two parts, the second starting on that line. */
  function parts(): InputFile[] {
    const lines = whole.split('\n');
    const cut = lines.map((l, i) => (l === '---' ? i : -1)).filter((i) => i >= 0)[1] as number;
    return [
      { name: 'in.yaml', text: lines.slice(0, cut).join('\n') + '\n', firstLine: 1 },
      { name: 'in.yaml', text: lines.slice(cut).join('\n'), firstLine: cut + 1 },
    ];
  }

  it('gives the same plans and the same diagnostics, at the same lines, as the whole file', async () => {
    const report = new Report();
    const read = joinManifests(parts().map((p) => readManifests([p], new Map(), report)));
    const joined = await planManifests(read, report, 'in.yaml');
    const one = await loadPlans([{ name: 'in.yaml', text: whole }]);
    expect(joined.diagnostics).toEqual(one.diagnostics);
    expect(joined.diagnostics.map((d) => [d.code, d.line])).toContainEqual(['KI107', expect.any(Number)]);
    expect(joined.ok).toBe(one.ok);
  });
});

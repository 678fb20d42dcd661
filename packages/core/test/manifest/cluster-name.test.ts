import { describe, expect, it } from 'vitest';
import { Report } from '../../src/diagnostics/report';
import { readClusterName } from '../../src/manifest/cluster-name';
import { clusterYaml, errorsOf, load, yamlRoot } from '../helpers';

function name(written: string) {
  const { root } = yamlRoot(`metadata:\n  name: ${written}\n`);
  const report = new Report();
  const read = readClusterName(root.at('metadata', 'name'), report);
  return { read, diagnostics: report.diagnostics.map((d) => [d.code, d.path, d.message]) };
}

describe('readClusterName (KI106)', () => {
  it('takes a fully-qualified DNS name', () => {
    expect(name('minimal.example.com')).toEqual({ read: 'minimal.example.com', diagnostics: [] });
    expect(name('a-b.k8s.local').read).toBe('a-b.k8s.local');
  });

  it.each([
    ['""', 'a cluster needs a name: a fully-qualified DNS name such as mycluster.example.com'],
    ['', 'a cluster needs a name: a fully-qualified DNS name such as mycluster.example.com'],
    ['1e3', "a cluster's name must be a string (a fully-qualified DNS name such as mycluster.example.com), found the number 1e3"],
    ['yes', "a cluster's name must be a string (a fully-qualified DNS name such as mycluster.example.com), found the boolean yes"],
    [
      '${CLUSTER_NAME}',
      "'${CLUSTER_NAME}' is a shell variable that was never substituted; write the cluster's name, e.g. mycluster.example.com",
    ],
    ['Minimal.example.com', "'Minimal.example.com' is not a fully-qualified DNS name: use lower case"],
    [
      'minimal',
      "'minimal' is not a fully-qualified DNS name: it needs a dot, e.g. mycluster.example.com (or mycluster.k8s.local for gossip)",
    ],
    ['my_cluster.example.com', "'my_cluster.example.com' is not a fully-qualified DNS name: letters, digits, hyphens and dots only"],
  ])('refuses %j', (written, message) => {
    expect(name(written)).toEqual({ read: undefined, diagnostics: [['KI106', 'metadata.name', message]] });
  });
});

describe('a cluster without a usable name', () => {
  it('still has its other problems reported (a name of 1e3 does not hide them)', async () => {
    const text = clusterYaml('1e3', '  configBase: gs://bucket/x');
    const r = await load(text);
    expect(errorsOf(r.diagnostics).map((d) => [d.code, d.line])).toEqual([
      ['KI106', 4],
      ['KI211', 10],
    ]);
  });

  it('is refused without a spec mapping (KI112)', async () => {
    const r = await load('apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\nmetadata:\n  name: a.example.com\nspec: [x]\n');
    expect(errorsOf(r.diagnostics).map((d) => [d.code, d.path, d.message])).toEqual([
      ['KI112', 'spec', 'a cluster needs a spec mapping (cloudProvider, subnets, ...), found a list'],
    ]);
    const none = await load('apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\nmetadata:\n  name: a.example.com\n');
    expect(errorsOf(none.diagnostics).map((d) => [d.code, d.message])).toEqual([
      ['KI112', 'a cluster needs a spec mapping (cloudProvider, subnets, ...), found none'],
    ]);
  });
});

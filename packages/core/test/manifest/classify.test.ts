import { describe, expect, it } from 'vitest';
import { Report } from '../../src/diagnostics/report';
import { classifyDocument } from '../../src/manifest/classify';
import { clusterYaml, load, yamlRoot } from '../helpers';

function classify(text: string) {
  const { root } = yamlRoot(text);
  const report = new Report();
  const kind = classifyDocument(root, report);
  return { kind, diagnostics: report.diagnostics.map((d) => [d.code, d.path, d.message]) };
}

describe('classifyDocument', () => {
  it.each(['kops/v1alpha1', 'kops/v1alpha2', 'kops.k8s.io/v1alpha2'])('reads Cluster and InstanceGroup of %s', (apiVersion) => {
    expect(classify(`apiVersion: ${apiVersion}\nkind: Cluster\n`).kind).toEqual({ kind: 'Cluster', apiVersion });
    expect(classify(`apiVersion: ${apiVersion}\nkind: InstanceGroup\n`).kind).toEqual({ kind: 'InstanceGroup', apiVersion });
  });

  it("reads the bare metadata + spec form of kops' docs as a Cluster", () => {
    expect(classify('metadata: {name: a.example.com}\nspec: {}\n').kind).toEqual({ kind: 'Cluster', apiVersion: 'bare' });
  });

  it('skips documents of other API groups and kops kinds without IAM', () => {
    expect(classify('apiVersion: kubescheduler.config.k8s.io/v1beta2\nkind: KubeSchedulerConfiguration\n')).toEqual({
      kind: { kind: 'skipped' },
      diagnostics: [],
    });
    expect(classify('apiVersion: kops.k8s.io/v1alpha2\nkind: SSHCredential\n')).toEqual({ kind: { kind: 'skipped' }, diagnostics: [] });
    expect(classify('apiVersion: kops.k8s.io/v1alpha2\nkind: Keyset\n')).toEqual({ kind: { kind: 'skipped' }, diagnostics: [] });
  });

  // Guards a fixed bug (src/manifest/classify.ts): a document of Kubernetes' core group (`apiVersion: v1`, no group part) is refused with
  // KI103, while kops decodes it as an ordinary non-kops object (pkg/kopscodecs/codecs.go: group "" is not kops) and
  // kops-iam skips every other non-kops group.
  it('skips a document of the core group (apiVersion: v1), as kops does', () => {
    expect(classify('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n')).toEqual({ kind: { kind: 'skipped' }, diagnostics: [] });
  });

  it('says a document that is not a mapping is not a manifest (KI101)', () => {
    expect(classify('- a\n').diagnostics).toEqual([
      ['KI101', '', 'a document must be a mapping (a kops Cluster or InstanceGroup manifest), found a list'],
    ]);
    expect(classify('hello\n').diagnostics).toEqual([
      ['KI101', '', 'a document must be a mapping (a kops Cluster or InstanceGroup manifest), found the string "hello"'],
    ]);
  });

  it('says a mapping without apiVersion and kind is not a kops manifest (KI102)', () => {
    expect(classify('metadata: {name: x}\n').diagnostics).toEqual([
      ['KI102', '', 'not a kops manifest: expected apiVersion and kind, or the bare metadata + spec form of a Cluster'],
    ]);
  });

  it('names a kops apiVersion kops-iam does not read (KI103)', () => {
    expect(classify('apiVersion: kops.k8s.io/v1alpha3\nkind: Cluster\n').diagnostics).toEqual([
      ['KI103', 'apiVersion', 'apiVersion "kops.k8s.io/v1alpha3"; kops-iam reads kops/v1alpha1, kops/v1alpha2, kops.k8s.io/v1alpha2'],
    ]);
    expect(classify('kind: Cluster\nspec: {}\n').diagnostics).toEqual([
      ['KI103', 'apiVersion', 'no apiVersion; kops-iam reads kops/v1alpha1, kops/v1alpha2, kops.k8s.io/v1alpha2'],
    ]);
  });

  it('names a missing or unknown kind, suggesting the near one (KI104)', () => {
    expect(classify('apiVersion: kops.k8s.io/v1alpha2\n').diagnostics).toEqual([
      ['KI104', 'kind', 'missing kind; expected Cluster or InstanceGroup'],
    ]);
    expect(classify('apiVersion: kops.k8s.io/v1alpha2\nkind: Clustr\n').diagnostics).toEqual([
      ['KI104', 'kind', "unknown kind 'Clustr'; did you mean 'Cluster'?"],
    ]);
    expect(classify('apiVersion: kops.k8s.io/v1alpha2\nkind: Widget\n').diagnostics).toEqual([
      ['KI104', 'kind', "unknown kind 'Widget'; kops-iam reads Cluster and InstanceGroup documents"],
    ]);
  });
});

describe('documents through loadPlans', () => {
  it('plans a cluster whose file also holds a non-kops document (additionalobjects reference case)', async () => {
    const other = 'apiVersion: kubescheduler.config.k8s.io/v1beta2\nkind: KubeSchedulerConfiguration\nprofiles: []\n';
    const r = await load(`${clusterYaml('a.example.com')}\n---\n${other}`);
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([]);
  });
});

import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import { closest } from '../util/edit-distance';

/** The apiVersions kops prints manifests with; `bare` is the metadata + spec form of kops' docs. */
export const KOPS_API_VERSIONS = ['kops/v1alpha1', 'kops/v1alpha2', 'kops.k8s.io/v1alpha2'] as const;
export type ApiVersion = (typeof KOPS_API_VERSIONS)[number] | 'bare';

/** The API groups kops' objects live in: a document of another group is not kops-iam's business. */
const KOPS_GROUPS = ['kops', 'kops.k8s.io'];

/** kops kinds that hold nothing about IAM (`kops get -o yaml` may print them next to a cluster). */
const KINDS_WITHOUT_IAM = ['SSHCredential', 'Keyset'];

/** What a document is: a Cluster or InstanceGroup of some apiVersion, something skipped, or a problem (reported). */
export type DocumentKind =
  | { readonly kind: 'Cluster' | 'InstanceGroup'; readonly apiVersion: ApiVersion }
  | { readonly kind: 'skipped' }
  | { readonly kind: 'invalid' };

/**
 * Sorts a document into Cluster, InstanceGroup, skipped (another API group's object, as
 * kops lets a file carry, or a kops kind without IAM), or invalid (reported).
 */
export function classifyDocument(root: YamlNode, report: Report): DocumentKind {
  if (root.kind !== 'map') {
    const v = root.scalar();
    const found = root.kind === 'seq' ? 'a list' : `the ${typeof v} ${JSON.stringify(v)}`;
    report.error('KI101', root, `a document must be a mapping (a kops Cluster or InstanceGroup manifest), found ${found}`);
    return { kind: 'invalid' };
  }
  const apiVersion = root.get('apiVersion');
  const kind = root.get('kind');
  if (apiVersion.unset && kind.unset) {
    if (root.get('metadata').present && root.get('spec').present) return { kind: 'Cluster', apiVersion: 'bare' };
    report.error('KI102', root, 'not a kops manifest: expected apiVersion and kind, or the bare metadata + spec form of a Cluster');
    return { kind: 'invalid' };
  }
  const version = apiVersion.string();
  const group = version?.includes('/') === true ? version.slice(0, version.indexOf('/')) : undefined;
  if (version !== undefined && group !== undefined && !KOPS_GROUPS.includes(group)) return { kind: 'skipped' };
  // The core group (`apiVersion: v1`, a ConfigMap) is not kops' either; a Cluster without a group is a mistake.
  const kopsKinds = ['Cluster', 'InstanceGroup'];
  if (
    version !== undefined &&
    group === undefined &&
    !(KOPS_API_VERSIONS as readonly string[]).includes(version) &&
    !kopsKinds.includes(kind.string() ?? '')
  ) {
    return { kind: 'skipped' };
  }
  if (version === undefined || !(KOPS_API_VERSIONS as readonly string[]).includes(version)) {
    const found = apiVersion.unset ? 'no apiVersion' : `apiVersion ${JSON.stringify(apiVersion.scalar() ?? null)}`;
    report.error('KI103', apiVersion, `${found}; kops-iam reads ${KOPS_API_VERSIONS.join(', ')}`);
    return { kind: 'invalid' };
  }
  return kopsKind(kind, version as ApiVersion, report);
}

function kopsKind(kind: YamlNode, apiVersion: ApiVersion, report: Report): DocumentKind {
  const k = kind.string();
  if (k === 'Cluster' || k === 'InstanceGroup') return { kind: k, apiVersion };
  if (k !== undefined && KINDS_WITHOUT_IAM.includes(k)) return { kind: 'skipped' };
  if (k === undefined) {
    report.error('KI104', kind, 'missing kind; expected Cluster or InstanceGroup');
    return { kind: 'invalid' };
  }
  const guess = closest(k, ['Cluster', 'InstanceGroup']);
  const hint = guess !== undefined ? `did you mean '${guess}'?` : 'kops-iam reads Cluster and InstanceGroup documents';
  report.error('KI104', kind, `unknown kind '${k}'; ${hint}`);
  return { kind: 'invalid' };
}

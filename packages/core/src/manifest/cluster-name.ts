import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import { describeValue } from '../cluster/scalars';

/** kops requires a fully-qualified DNS name: lower case, at least one dot. */
const CLUSTER_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** A cluster's `metadata.name`, checked; undefined (reported) when it cannot name IAM resources. */
export function readClusterName(node: YamlNode, report: Report): string | undefined {
  const name = node.string();
  if (node.unset || name === '') {
    report.error('KI106', node, 'a cluster needs a name: a fully-qualified DNS name such as mycluster.example.com');
    return undefined;
  }
  if (name === undefined) {
    report.error(
      'KI106',
      node,
      `a cluster's name must be a string (a fully-qualified DNS name such as mycluster.example.com), found ${describeValue(node)}`,
    );
    return undefined;
  }
  if (/\$\{?[A-Z_]+\}?/.test(name)) {
    report.error(
      'KI106',
      node,
      `'${name}' is a shell variable that was never substituted; write the cluster's name, e.g. mycluster.example.com`,
    );
    return undefined;
  }
  if (!CLUSTER_NAME.test(name)) {
    const why =
      name !== name.toLowerCase()
        ? 'use lower case'
        : !name.includes('.')
          ? 'it needs a dot, e.g. mycluster.example.com (or mycluster.k8s.local for gossip)'
          : 'letters, digits, hyphens and dots only';
    report.error('KI106', node, `'${name}' is not a fully-qualified DNS name: ${why}`);
    return undefined;
  }
  return name;
}

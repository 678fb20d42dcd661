import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import { describeValue } from './scalars';

/** Tags kops sets itself on every resource; a cloud label may not replace them. */
const RESERVED_KEYS = ['Name', 'KubernetesCluster'];
const RESERVED_PREFIXES = ['kubernetes.io/cluster/', 'k8s.io/role/', 'kops.k8s.io/'];
/** What AWS allows in tag keys and values: letters, digits, spaces and `_ . : / = + - @` (any script's letters). */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_KEY = 128;
const MAX_VALUE = 256;

/**
 * `spec.cloudLabels`: extra tags kops puts on every role, instance profile and OIDC
 * provider, in the order written. Keys kops reserves, and keys or values AWS would reject
 * at apply time, are errors now.
 */
export function readCloudLabels(spec: YamlNode, report: Report): readonly (readonly [string, string])[] {
  const node = spec.get('cloudLabels');
  if (node.unset) return [];
  if (node.kind !== 'map') {
    report.error('KI409', node, 'must be a map of tag key to value');
    return [];
  }
  const out: [string, string][] = [];
  for (const { key, keyAt, value } of node.entries()) {
    const text = value.kind === 'scalar' && typeof value.scalar() === 'string' ? value.string() : undefined;
    if (text === undefined) {
      report.error('KI409', value, `a tag value must be a string, found ${describeValue(value)}; quote it`);
      continue;
    }
    const problem = labelProblem(key, text);
    if (problem !== undefined) report.error('KI409', problem.onKey ? keyAt : value, problem.message);
    else out.push([key, text]);
  }
  return out;
}

function labelProblem(key: string, value: string): { onKey: boolean; message: string } | undefined {
  if (RESERVED_KEYS.includes(key)) return { onKey: true, message: `'${key}' is a tag kops sets itself; choose another key` };
  const prefix = RESERVED_PREFIXES.find((p) => key.startsWith(p));
  if (prefix !== undefined) return { onKey: true, message: `tag keys starting '${prefix}' are kops' own; choose another key` };
  if (key === '' || key.length > MAX_KEY) return { onKey: true, message: `a tag key has 1-${MAX_KEY} characters, this one ${key.length}` };
  if (key.startsWith('aws:')) return { onKey: true, message: "tag keys starting 'aws:' are reserved by AWS" };
  if (!TAG_TEXT.test(key))
    return {
      onKey: true,
      message:
        `tag key ${JSON.stringify(key)} has a character AWS does not allow in tags (letters, digits, spaces and _ . : / = + - @ ` + `only)`,
    };
  if (value.length > MAX_VALUE)
    return { onKey: false, message: `a tag value has at most ${MAX_VALUE} characters, this one ${value.length}` };
  if (!TAG_TEXT.test(value))
    return {
      onKey: false,
      message:
        `tag value ${JSON.stringify(value)} has a character AWS does not allow in tags (letters, digits, spaces and _ . : / = + - ` +
        `@ only)`,
    };
  return undefined;
}

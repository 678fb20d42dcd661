import type { Report } from '../diagnostics/report';
import { embeddedTextPosition } from '../input/embedded-text';
import { parseJsonTree } from '../input/json-tree';
import type { YamlNode } from '../input/yaml-node';
import { describeValue } from '../cluster/scalars';
import { MAX_YAML_POLICY_NODES, policyTreeFromJson, policyTreeFromYaml, type PolicyNode } from './policy-tree';

/**
 * A policy value of the manifest as a tree: a YAML list (or mapping) of statements, or
 * a string holding JSON, whose errors are reported at their line and column in the YAML
 * file. Undefined when there is nothing to read (warned) or it cannot be read (reported).
 */
export function readPolicyValue(value: YamlNode, report: Report): PolicyNode | undefined {
  if (value.kind === 'seq' || value.kind === 'map') {
    const tree = policyTreeFromYaml(value);
    if (tree === undefined)
      report.error('KI318', value, `the policy has more than ${MAX_YAML_POLICY_NODES} values (YAML aliases?); write it out, or as JSON`);
    return tree;
  }
  if (value.unset) {
    report.warning('KI304', value, 'empty: no additional policy is added');
    return undefined;
  }
  const text = value.string();
  if (text === undefined) {
    report.error(
      'KI303',
      value,
      `must be a string holding a JSON list of IAM statements, or a YAML list of statements; found ${describeValue(value)}`,
    );
    return undefined;
  }
  if (text.trim() === '') {
    report.warning('KI304', value, 'empty: no additional policy is added');
    return undefined;
  }
  const position = embeddedTextPosition(value, text);
  const parsed = parseJsonTree(text);
  if (!parsed.ok) {
    report.error('KI305', { pos: position(parsed.offset), path: value.path }, `invalid JSON: ${parsed.message}`);
    return undefined;
  }
  return policyTreeFromJson(parsed.value, value.path, position);
}

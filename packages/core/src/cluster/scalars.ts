import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';

/** A setting that must be true or false; undefined when unset or wrong (reported). */
export function readBoolean(node: YamlNode, report: Report): boolean | undefined {
  if (node.unset) return undefined;
  const v = node.scalar();
  if (typeof v === 'boolean') return v;
  report.error('KI213', node, 'must be true or false');
  return undefined;
}

/** A value as a message shows it: the text as written for scalars (`no`, not `false`), else its kind. */
export function describeValue(node: YamlNode): string {
  switch (node.kind) {
    case 'map':
      return 'a mapping';
    case 'seq':
      return 'a list';
    case 'null':
    case 'missing':
      return 'nothing';
    default: {
      const v = node.scalar();
      const text = node.text() ?? String(v);
      if (typeof v === 'string') return `'${text}'`;
      return `the ${typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'value'} ${text}`;
    }
  }
}

/** A setting that must be a non-empty string; undefined when unset or wrong (reported with `code`). */
export function readText(node: YamlNode, report: Report, code: Parameters<Report['error']>[0], what: string): string | undefined {
  if (node.unset) return undefined;
  const v = node.string();
  if (v !== undefined && v.trim() !== '') return v;
  report.error(code, node, `must be ${what}, found ${v === undefined ? describeValue(node) : 'an empty string'}`);
  return undefined;
}

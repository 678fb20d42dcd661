import type { SourcePosition } from './diagnostics';
import { jsonToValue, type JsonNode } from './json-ast';
import { joinKey, type YamlNode } from './yaml-node';

/**
 * A policy value the user wrote, from JSON inside a YAML string or from YAML itself,
 * with the YAML path and file position of every node. Statement checks run on this
 * one shape whichever way the policy was written.
 */
export type PolicyNode =
  | { readonly kind: 'object'; readonly path: string; readonly pos: SourcePosition; readonly entries: readonly PolicyEntry[] }
  | { readonly kind: 'array'; readonly path: string; readonly pos: SourcePosition; readonly items: readonly PolicyNode[] }
  | { readonly kind: 'scalar'; readonly path: string; readonly pos: SourcePosition; readonly value: string | number | boolean | null };

/** One key of a policy object, in the order written. */
export interface PolicyEntry {
  readonly key: string;
  readonly keyPos: SourcePosition;
  readonly value: PolicyNode;
}

/** Builds a policy tree from JSON text whose offsets `position` maps back to the YAML file. */
export function policyTreeFromJson(node: JsonNode, path: string, position: (offset: number) => SourcePosition): PolicyNode {
  const pos = position(node.start);
  switch (node.kind) {
    case 'object':
      return {
        kind: 'object',
        path,
        pos,
        entries: node.entries.map((e) => ({ key: e.key, keyPos: position(e.keyStart), value: policyTreeFromJson(e.value, joinKey(path, e.key), position) })),
      };
    case 'array':
      return { kind: 'array', path, pos, items: node.items.map((item, i) => policyTreeFromJson(item, `${path}[${i}]`, position)) };
    default:
      return { kind: 'scalar', path, pos, value: jsonToValue(node) as string | number | boolean | null };
  }
}

/** Builds a policy tree from YAML nodes (the list form of additionalPolicies). */
export function policyTreeFromYaml(node: YamlNode): PolicyNode {
  switch (node.kind) {
    case 'map':
      return { kind: 'object', path: node.path, pos: node.pos, entries: node.entries().map((e) => ({ key: e.key, keyPos: e.keyPos, value: policyTreeFromYaml(e.value) })) };
    case 'seq':
      return { kind: 'array', path: node.path, pos: node.pos, items: node.items().map(policyTreeFromYaml) };
    default: {
      const v = node.scalar();
      const value = v === undefined || v === null ? null : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
      return { kind: 'scalar', path: node.path, pos: node.pos, value };
    }
  }
}

/** The plain data of a policy tree, keys in the order written; the last of duplicate keys wins. */
export function policyTreeValue(node: PolicyNode): unknown {
  switch (node.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const e of node.entries) Object.defineProperty(out, e.key, { value: policyTreeValue(e.value), enumerable: true, writable: true, configurable: true });
      return out;
    }
    case 'array':
      return node.items.map(policyTreeValue);
    default:
      return node.value;
  }
}

/** The type of a policy node as a user would call it, for messages. */
export function describeKind(node: PolicyNode): string {
  if (node.kind !== 'scalar') return node.kind === 'object' ? 'an object' : 'a list';
  if (node.value === null) return 'null';
  return typeof node.value === 'string' ? 'a string' : typeof node.value === 'number' ? 'a number' : 'a boolean';
}

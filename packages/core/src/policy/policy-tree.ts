import type { SourcePosition } from '../diagnostics/diagnostic';
import type { JsonNode } from '../input/json-tree';
import type { YamlNode } from '../input/yaml-node';
import { joinKey } from '../input/yaml-path';

/**
 * A policy value the user wrote, from JSON inside a YAML string or from YAML itself,
 * with the YAML path and file position of every node. Statement checks run on this one
 * shape whichever way the policy was written. Numbers keep their text as written: JSON
 * `1e400` or a 20-digit integer reach IAM unchanged, never rounded or turned into null.
 */
export type PolicyNode =
  | { readonly kind: 'object'; readonly path: string; readonly pos: SourcePosition; readonly entries: readonly PolicyEntry[] }
  | { readonly kind: 'array'; readonly path: string; readonly pos: SourcePosition; readonly items: readonly PolicyNode[] }
  | { readonly kind: 'string'; readonly path: string; readonly pos: SourcePosition; readonly value: string }
  | { readonly kind: 'number'; readonly path: string; readonly pos: SourcePosition; readonly raw: string }
  | { readonly kind: 'boolean'; readonly path: string; readonly pos: SourcePosition; readonly value: boolean }
  | { readonly kind: 'null'; readonly path: string; readonly pos: SourcePosition };

/** One key of a policy object, in the order written (duplicates kept, so they can be reported). */
export interface PolicyEntry {
  readonly key: string;
  readonly keyPos: SourcePosition;
  readonly value: PolicyNode;
}

/** Builds a policy tree from JSON whose offsets `position` maps back to the YAML file. */
export function policyTreeFromJson(node: JsonNode, path: string, position: (offset: number) => SourcePosition): PolicyNode {
  const pos = position(node.start);
  switch (node.kind) {
    case 'object':
      return {
        kind: 'object',
        path,
        pos,
        entries: node.entries.map((e) => ({
          key: e.key,
          keyPos: position(e.keyStart),
          value: policyTreeFromJson(e.value, joinKey(path, e.key), position),
        })),
      };
    case 'array':
      return { kind: 'array', path, pos, items: node.items.map((item, i) => policyTreeFromJson(item, `${path}[${i}]`, position)) };
    case 'string':
    case 'boolean':
      return { kind: node.kind, path, pos, value: node.value } as PolicyNode;
    case 'number':
      return { kind: 'number', path, pos, raw: node.raw };
    default:
      return { kind: 'null', path, pos };
  }
}

/**
 * The most nodes a policy written as YAML may have. A policy of hundreds of statements
 * has a few thousand; YAML aliases could make a small file stand for millions.
 */
export const MAX_YAML_POLICY_NODES = 50_000;

/** Builds a policy tree from YAML nodes (the list form); undefined when it is larger than MAX_YAML_POLICY_NODES. */
export function policyTreeFromYaml(node: YamlNode): PolicyNode | undefined {
  const budget = { left: MAX_YAML_POLICY_NODES };
  try {
    return fromYaml(node, budget);
  } catch (e) {
    if (e === budget) return undefined;
    throw e;
  }
}

function fromYaml(node: YamlNode, budget: { left: number }): PolicyNode {
  budget.left -= 1;
  if (budget.left < 0) throw budget;
  const base = { path: node.path, pos: node.pos };
  switch (node.kind) {
    case 'map':
      return {
        kind: 'object',
        ...base,
        entries: node.entries().map((e) => ({ key: e.key, keyPos: e.keyPos, value: fromYaml(e.value, budget) })),
      };
    case 'seq':
      return { kind: 'array', ...base, items: node.items().map((item) => fromYaml(item, budget)) };
    case 'null':
    case 'missing':
      return { kind: 'null', ...base };
    default:
      return scalarFromYaml(node, base);
  }
}

/** A JSON number as RFC 8259 writes it: what a plain YAML scalar must look like to stay a number. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * A scalar as written. Quoted and block scalars are strings. Plain scalars are read by
 * YAML 1.2's core rules on their text, not by the YAML 1.1 rules the manifest is parsed
 * with: `true`/`false` are booleans, a JSON number stays a number with its text, and
 * everything else is the text as written, so `2030-01-01T00:00:00Z` is not a date,
 * `012345670123` not an octal number and `.inf` not a float.
 */
function scalarFromYaml(node: YamlNode, base: { path: string; pos: SourcePosition }): PolicyNode {
  const text = node.text() ?? '';
  if (node.scalarType !== 'PLAIN') return { kind: 'string', ...base, value: node.string() ?? text };
  if (/^(?:true|True|TRUE)$/.test(text)) return { kind: 'boolean', ...base, value: true };
  if (/^(?:false|False|FALSE)$/.test(text)) return { kind: 'boolean', ...base, value: false };
  if (/^(?:null|Null|NULL|~)$/.test(text)) return { kind: 'null', ...base };
  if (JSON_NUMBER.test(text)) return { kind: 'number', ...base, raw: text };
  return { kind: 'string', ...base, value: text };
}

/** The type of a policy node as a user would call it, for messages. */
export function describeKind(node: PolicyNode): string {
  switch (node.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return 'null';
  }
}

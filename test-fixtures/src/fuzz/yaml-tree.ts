import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, Scalar, type Node } from 'yaml';
import { yamlQuoted } from '../hostile-strings';

/**
 * A YAML document as the fuzz test mutates it: plain immutable data, cheap to copy along
 * one path and to write back as text. Scalars are strings (written plain when safe, else
 * double-quoted, or as a `|` block when they were one) or raw text written as is (numbers,
 * booleans, null, `1e3`, `no`, `<<`). Anchors, aliases and merge keys are kept.
 */
export type YNode =
  | { readonly t: 'map'; readonly pairs: readonly YPair[]; readonly anchor?: string }
  | { readonly t: 'seq'; readonly items: readonly YNode[]; readonly anchor?: string }
  | { readonly t: 'str'; readonly v: string; readonly block?: boolean; readonly anchor?: string }
  | { readonly t: 'raw'; readonly text: string; readonly anchor?: string }
  | { readonly t: 'alias'; readonly name: string };
export type YPair = readonly [YNode, YNode];

/** One input file: its name and documents. */
export interface YFile {
  readonly name: string;
  readonly docs: readonly YNode[];
}

/** Reads a file's documents (YAML 1.1 with merge keys, as kops-iam reads manifests). */
export function parseYamlFile(name: string, text: string): YFile {
  const docs = parseAllDocuments(text, { version: '1.1', merge: true, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [];
  return { name, docs: list.map((d) => fromNode(d.contents as Node | null)) };
}

function fromNode(node: Node | null): YNode {
  if (node === null) return { t: 'raw', text: 'null' };
  const anchor = node.anchor === undefined ? {} : { anchor: node.anchor };
  if (isAlias(node)) return { t: 'alias', name: node.source };
  if (isMap(node))
    return { t: 'map', pairs: node.items.map((p) => [fromNode(p.key as Node), fromNode(p.value as Node | null)] as const), ...anchor };
  if (isSeq(node)) return { t: 'seq', items: node.items.map((i) => fromNode(i as Node)), ...anchor };
  if (isScalar(node)) {
    if (typeof node.value === 'symbol') return { t: 'raw', text: '<<' };
    if (typeof node.value === 'string') {
      const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
      return { t: 'str', v: node.value, ...(block ? { block } : {}), ...anchor };
    }
    return { t: 'raw', text: node.source ?? String(node.value), ...anchor };
  }
  return { t: 'raw', text: 'null' };
}

/** Plain scalars safe in YAML 1.1 and 1.2: no indicator, no type other than string. */
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
const NOT_STRINGS = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;

function scalarText(n: Extract<YNode, { t: 'str' } | { t: 'raw' }>): string {
  if (n.t === 'raw') return n.text;
  return PLAIN.test(n.v) && !NOT_STRINGS.test(n.v) ? n.v : yamlQuoted(n.v);
}

/** True when a string can be written as a literal block (`|`) exactly. */
function blockSafe(s: string): boolean {
  return s.endsWith('\n') && !/^[ \n]/.test(s) && !/[^\t\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd]/.test(s) && !/\n\n$/.test(s);
}

const pad = (n: number) => ' '.repeat(n);
const anchorOf = (n: YNode) => ('anchor' in n && n.anchor !== undefined ? ` &${n.anchor}` : '');

/** Writes `node` after `head` (`key:`, `-`, `?`), its block content indented by `indent + 2`. */
function emitValue(node: YNode, indent: number, head: string, out: string[]): void {
  const anchor = anchorOf(node);
  if (node.t === 'alias') out.push(`${head} *${node.name}`);
  else if (node.t === 'str' && node.block === true && blockSafe(node.v)) {
    out.push(`${head}${anchor} |`);
    for (const line of node.v.slice(0, -1).split('\n')) out.push(line === '' ? '' : `${pad(indent + 2)}${line}`);
  } else if (node.t === 'str' || node.t === 'raw') out.push(`${head}${anchor} ${scalarText(node)}`);
  else if (node.t === 'map' && node.pairs.length === 0) out.push(`${head}${anchor} {}`);
  else if (node.t === 'seq' && node.items.length === 0) out.push(`${head}${anchor} []`);
  else {
    out.push(`${head}${anchor}`);
    emitCollection(node, indent + 2, out);
  }
}

function emitCollection(node: Extract<YNode, { t: 'map' } | { t: 'seq' }>, indent: number, out: string[]): void {
  if (node.t === 'seq') {
    for (const item of node.items) emitValue(item, indent, `${pad(indent)}-`, out);
    return;
  }
  for (const [key, value] of node.pairs) {
    if (key.t === 'str' || key.t === 'raw') emitValue(value, indent, `${pad(indent)}${scalarText(key)}:`, out);
    else {
      emitValue(key, indent, `${pad(indent)}?`, out);
      emitValue(value, indent, `${pad(indent)}:`, out);
    }
  }
}

/** A document as YAML text. */
export function emitDocument(node: YNode): string {
  const out: string[] = [];
  if ((node.t === 'map' && node.pairs.length > 0) || (node.t === 'seq' && node.items.length > 0)) {
    if ('anchor' in node && node.anchor !== undefined) out.push(`--- &${node.anchor}`);
    emitCollection(node, 0, out);
  } else emitValue(node, 0, '---', out);
  return `${out.join('\n')}\n`;
}

/** A file's text: its documents separated by `---`. */
export function emitFile(file: YFile): string {
  return file.docs
    .map((d, i) => {
      const text = emitDocument(d);
      return i === 0 || text.startsWith('---') ? text : `---\n${text}`;
    })
    .join('');
}

/** A tree for a plain JavaScript value: objects as maps, arrays as sequences, other values raw. */
export function fromJs(v: unknown): YNode {
  if (typeof v === 'string') return { t: 'str', v };
  if (Array.isArray(v)) return { t: 'seq', items: v.map(fromJs) };
  if (v !== null && typeof v === 'object')
    return { t: 'map', pairs: Object.entries(v).map(([k, x]) => [{ t: 'str', v: k }, fromJs(x)] as const) };
  return { t: 'raw', text: String(v) };
}

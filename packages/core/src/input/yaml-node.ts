import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Placed, SourcePosition } from '../diagnostics/diagnostic';
import { joinKey } from './yaml-path';

/** What a YAML node holds, as kops-iam cares about it. */
export type YamlKind = 'map' | 'seq' | 'scalar' | 'null' | 'missing';

/** A file's text and how its character offsets turn into positions. */
export interface Locator {
  readonly file: string;
  readonly text: string;
  position(offset: number): SourcePosition;
}

/** A key of a mapping with its position and value. */
export interface YamlEntry {
  readonly key: string;
  readonly keyPos: SourcePosition;
  /** Where the key is and its path: for messages about the key itself. */
  readonly keyAt: Placed;
  readonly value: YamlNode;
}

/** What every node of one document shares. */
interface DocumentContext {
  readonly doc: Document.Parsed;
  readonly locator: Locator;
}

/** The most aliases followed to reach one node: an alias of an alias of … is an attack, not a manifest. */
const MAX_ALIAS_HOPS = 32;

/**
 * A node of a parsed manifest with its YAML path and source position. A missing key is
 * a node too (kind `missing`) positioned at its parent, so that "field is required"
 * errors point somewhere useful. Merge keys (`<<: *base`) are followed as go-yaml, and
 * so kops, follows them: a key written in the mapping wins over a merged one.
 */
export class YamlNode implements Placed {
  private constructor(
    private readonly ctx: DocumentContext,
    readonly node: Node | null,
    readonly path: string,
    /** The node's character offset in the file (its parent's when missing). */
    readonly start: number,
    private readonly absent: boolean,
  ) {}

  /** The root node of a document. */
  static root(doc: Document.Parsed, locator: Locator): YamlNode {
    const ctx = { doc, locator };
    const node = resolveAlias(ctx, doc.contents as Node | null);
    return new YamlNode(ctx, node, '', node?.range?.[0] ?? doc.range[0], false);
  }

  /** Where the node starts (or where its parent does, when it is missing). */
  get pos(): SourcePosition {
    return this.ctx.locator.position(this.start);
  }

  /** The file this node was read from. */
  get file(): string {
    return this.ctx.locator.file;
  }

  /** The file's text and positions, for offsets inside this node (e.g. JSON in a block scalar). */
  get source(): { readonly name: string; readonly text: string; readonly base: 0; position(offset: number): SourcePosition } {
    const locator = this.ctx.locator;
    return { name: locator.file, text: locator.text, base: 0, position: (offset) => locator.position(offset) };
  }

  /** What kind of value the node holds. */
  get kind(): YamlKind {
    const n = this.node;
    if (n === null) return this.absent ? 'missing' : 'null';
    if (isMap(n)) return 'map';
    if (isSeq(n)) return 'seq';
    if (isScalar(n)) return n.value === null ? 'null' : 'scalar';
    return 'null';
  }

  /** True unless the key was absent from its mapping. */
  get present(): boolean {
    return this.kind !== 'missing';
  }

  /** True when the node is absent or holds null: "not set" in kops terms. */
  get unset(): boolean {
    return this.kind === 'missing' || this.kind === 'null';
  }

  /** The value of a mapping's key; a `missing` node when there is none. */
  get(key: string): YamlNode {
    const path = joinKey(this.path, key);
    for (const map of this.mapsInOrder()) {
      for (const pair of map.items) {
        if (isMergePair(pair) || scalarKey(this.ctx, pair) !== key) continue;
        return this.child(pair.value as Node | null, path, pair.key as Node | null);
      }
    }
    return new YamlNode(this.ctx, null, path, this.start, true);
  }

  /** Follows a path of keys, e.g. `at('topology', 'dns')`. */
  at(...keys: string[]): YamlNode {
    return keys.reduce<YamlNode>((n, k) => n.get(k), this);
  }

  /** The entries of a mapping (its own, then merged ones it does not override); empty for anything else. */
  entries(): YamlEntry[] {
    const out: YamlEntry[] = [];
    const seen = new Set<string>();
    for (const map of this.mapsInOrder()) {
      for (const pair of map.items) {
        if (isMergePair(pair)) continue;
        const key = scalarKey(this.ctx, pair) ?? '';
        if (seen.has(key)) continue;
        seen.add(key);
        const keyNode = resolveAlias(this.ctx, pair.key as Node | null);
        const keyOffset = keyNode?.range?.[0] ?? this.start;
        const path = joinKey(this.path, key);
        const keyPos = this.ctx.locator.position(keyOffset);
        out.push({ key, keyPos, keyAt: { pos: keyPos, path }, value: this.child(pair.value as Node | null, path, keyNode) });
      }
    }
    return out;
  }

  /** The items of a sequence; empty for anything else. */
  items(): YamlNode[] {
    const n = this.node;
    if (n === null || !isSeq(n)) return [];
    return n.items.map((item, i) => {
      const resolved = resolveAlias(this.ctx, item as Node | null);
      return new YamlNode(this.ctx, resolved, `${this.path}[${i}]`, resolved?.range?.[0] ?? this.start, false);
    });
  }

  /** The scalar's value (string, number, boolean or null); undefined for collections. */
  scalar(): unknown {
    const n = this.node;
    if (n !== null && isScalar(n)) return n.value;
    return n === null ? null : undefined;
  }

  /** The scalar's value when it is a string. */
  string(): string | undefined {
    const v = this.scalar();
    return typeof v === 'string' ? v : undefined;
  }

  /** The scalar as written (without quotes), e.g. `no` where the value is the boolean false. */
  text(): string | undefined {
    const n = this.node;
    if (n === null || !isScalar(n)) return undefined;
    const source = (n as { source?: unknown }).source;
    return typeof source === 'string' ? source : String(n.value);
  }

  /** The scalar's style: `PLAIN`, `QUOTE_DOUBLE`, `BLOCK_LITERAL`, …; undefined for collections. */
  get scalarType(): string | undefined {
    const n = this.node;
    return n !== null && isScalar(n) ? n.type : undefined;
  }

  private child(value: Node | null, path: string, key: Node | null): YamlNode {
    const v = resolveAlias(this.ctx, value);
    const at = v?.range?.[0] ?? key?.range?.[0] ?? this.start;
    return new YamlNode(this.ctx, v, path, at, false);
  }

  /** This mapping, then the mappings its merge keys bring in, in go-yaml's order. */
  private mapsInOrder(): YAMLMap[] {
    const n = this.node;
    if (n === null || !isMap(n)) return [];
    const out: YAMLMap[] = [n];
    for (const pair of n.items) {
      if (!isMergePair(pair)) continue;
      const value = resolveAlias(this.ctx, pair.value as Node | null);
      const sources = value !== null && isSeq(value) ? value.items.map((i) => resolveAlias(this.ctx, i as Node | null)) : [value];
      for (const s of sources) if (s !== null && isMap(s) && !out.includes(s)) out.push(s);
    }
    return out;
  }
}

function resolveAlias(ctx: DocumentContext, node: Node | null): Node | null {
  let n = node;
  for (let hops = 0; n !== null && isAlias(n) && hops < MAX_ALIAS_HOPS; hops += 1) {
    n = (n.resolve(ctx.doc) as Node | undefined) ?? null;
  }
  return n !== null && isAlias(n) ? null : n;
}

/** The `<<` key of a merge (the yaml package marks it with a symbol when merges are on). */
export function isMergePair(pair: Pair | unknown): boolean {
  if (!isPair(pair)) return false;
  const k = pair.key;
  if (!isScalar(k)) return false;
  return typeof k.value === 'symbol' || (k.value === '<<' && k.type === 'PLAIN');
}

function scalarKey(ctx: DocumentContext, pair: Pair): string | undefined {
  const k = resolveAlias(ctx, pair.key as Node | null);
  return k !== null && isScalar(k) ? String(k.value) : undefined;
}

import { Document, isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { SourcePosition } from './diagnostics';
import type { SourceFile } from './source-file';

/** What a YAML node holds, as kops-iam cares about it. */
export type YamlKind = 'map' | 'seq' | 'scalar' | 'null' | 'missing';

/** A key of a mapping with its position and value. */
export interface YamlEntry {
  readonly key: string;
  readonly keyPos: SourcePosition;
  readonly value: YamlNode;
}

/**
 * A node of a parsed manifest with its YAML path and source position.
 * A missing key is a node too (kind `missing`) positioned at its parent, so that
 * "field is required" errors point somewhere useful.
 */
export class YamlNode {
  private constructor(
    readonly source: SourceFile,
    private readonly doc: Document.Parsed,
    readonly node: Node | null,
    readonly path: string,
    private readonly offset: number,
    private readonly absent = false,
  ) {}

  /** The root node of a document. */
  static root(source: SourceFile, doc: Document.Parsed): YamlNode {
    const node = resolve(doc, doc.contents as Node | null);
    return new YamlNode(source, doc, node, '', node?.range?.[0] ?? doc.range[0]);
  }

  /** Where the node starts (or where its parent does, when it is missing). */
  get pos(): SourcePosition {
    return this.source.position(this.offset);
  }

  /** The node's character offset in the file. */
  get start(): number {
    return this.offset;
  }

  /** What kind of value the node holds. */
  get kind(): YamlKind {
    if (this.node === null) return this.absent ? 'missing' : 'null';
    if (isMap(this.node)) return 'map';
    if (isSeq(this.node)) return 'seq';
    if (isScalar(this.node)) return this.node.value === null ? 'null' : 'scalar';
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
    if (this.node !== null && isMap(this.node)) {
      for (const pair of this.node.items) {
        const k = resolve(this.doc, pair.key as Node | null);
        if (k !== null && isScalar(k) && String(k.value) === key) {
          const v = resolve(this.doc, pair.value as Node | null);
          const at = v?.range?.[0] ?? k.range?.[0] ?? this.offset;
          return new YamlNode(this.source, this.doc, v, joinKey(this.path, key), at);
        }
      }
    }
    return new YamlNode(this.source, this.doc, null, joinKey(this.path, key), this.offset, true);
  }

  /** Follows a dotted path of keys, e.g. `spec.topology.dns`. */
  at(...keys: string[]): YamlNode {
    let n: YamlNode = this;
    for (const k of keys) n = n.get(k);
    return n;
  }

  /** The entries of a mapping in source order; empty for anything else. */
  entries(): YamlEntry[] {
    if (this.node === null || !isMap(this.node)) return [];
    const out: YamlEntry[] = [];
    for (const pair of this.node.items) {
      const k = resolve(this.doc, pair.key as Node | null);
      const key = k !== null && isScalar(k) ? String(k.value) : '';
      const keyOffset = k?.range?.[0] ?? this.offset;
      const v = resolve(this.doc, pair.value as Node | null);
      out.push({
        key,
        keyPos: this.source.position(keyOffset),
        value: new YamlNode(this.source, this.doc, v, joinKey(this.path, key), v?.range?.[0] ?? keyOffset),
      });
    }
    return out;
  }

  /** The items of a sequence; empty for anything else. */
  items(): YamlNode[] {
    if (this.node === null || !isSeq(this.node)) return [];
    return this.node.items.map((item, i) => {
      const n = resolve(this.doc, item as Node | null);
      return new YamlNode(this.source, this.doc, n, `${this.path}[${i}]`, n?.range?.[0] ?? this.offset);
    });
  }

  /** The scalar's value (string, number, boolean or null); undefined for collections. */
  scalar(): unknown {
    if (this.node !== null && isScalar(this.node)) return this.node.value;
    return this.node === null ? null : undefined;
  }

  /** The scalar's value when it is a string. */
  string(): string | undefined {
    const v = this.scalar();
    return typeof v === 'string' ? v : undefined;
  }

  /** The block-scalar style of a string node, when it has one; used to map JSON positions back. */
  get scalarType(): string | undefined {
    return this.node !== null && isScalar(this.node) ? this.node.type : undefined;
  }

  /** The node's value as plain JavaScript data (aliases expanded). */
  toJS(): unknown {
    if (this.node === null) return null;
    return this.node.toJS(this.doc, { maxAliasCount: 100 });
  }
}

function resolve(doc: Document.Parsed, node: Node | null): Node | null {
  let n = node;
  for (let hops = 0; n !== null && isAlias(n) && hops < 100; hops += 1) {
    n = (n.resolve(doc) as Node | undefined) ?? null;
  }
  return n;
}

/** Joins a key onto a YAML path, quoting keys that are not plain identifiers. */
export function joinKey(path: string, key: string): string {
  const part = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  if (path === '') return part.startsWith('"') ? `[${part}]` : part;
  return part.startsWith('"') ? `${path}[${part}]` : `${path}.${part}`;
}

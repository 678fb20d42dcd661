import { Document, LineCounter, isAlias, parseAllDocuments, visit } from 'yaml';
import type { Diagnostics, SourcePosition } from './diagnostics';
import { YamlNode } from './yaml-node';

/** One input file: its name as the user gave it, its text, and line positions. */
export class SourceFile {
  private readonly lines = new LineCounter();

  constructor(
    readonly name: string,
    readonly text: string,
  ) {
    // LineCounter is filled by the parser; fill it here too so positions work before parsing.
    this.lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lines.addNewLine(i + 1);
  }

  /** The 1-based line and column of a character offset. */
  position(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { file: this.name, line: Math.max(1, line), col: Math.max(1, col) };
  }

  /** The character offset where a 1-based line starts. */
  lineStart(line: number): number {
    return this.lines.lineStarts[line - 1] ?? this.text.length;
  }
}

/** A parsed YAML document of a file, with its index in the file. */
export interface SourceDocument {
  readonly source: SourceFile;
  readonly index: number;
  readonly root: YamlNode;
}

/** The most alias expansions one document may cause; a "billion laughs" document needs far more. */
const MAX_ALIAS_EXPANSIONS = 100;

/**
 * Parses every YAML document in a file, keeping each node's position.
 * YAML 1.1 is used because kops reads manifests with go-yaml, where `yes`/`no` are booleans.
 */
export function parseYamlFile(source: SourceFile, diagnostics: Diagnostics): SourceDocument[] {
  const docs = parseAllDocuments(source.text, {
    version: '1.1',
    prettyErrors: false,
    uniqueKeys: true,
    merge: true,
    keepSourceTokens: false,
  });
  const out: SourceDocument[] = [];
  let index = 0;
  for (const doc of docs as Document.Parsed[]) {
    const before = diagnostics.errorCount;
    for (const e of doc.errors) {
      diagnostics.error(source.position(e.pos[0]), '', yamlMessage(e.code, e.message));
    }
    if (diagnostics.errorCount === before && doc.contents !== null) {
      if (checkAliases(source, doc, diagnostics)) {
        checkProtoKeys(source, doc, diagnostics);
        out.push({ source, index, root: YamlNode.root(source, doc) });
      }
    }
    index += 1;
  }
  if (index === 0 || (out.length === 0 && !diagnostics.hasErrors && docs.every((d) => d.contents === null))) {
    diagnostics.error(source.position(0), '', 'the file holds no YAML document; expected a kops Cluster manifest');
  }
  return out;
}

const YAML_HINTS: Record<string, string> = {
  DUPLICATE_KEY: 'duplicate key: each key may appear once in a mapping (go-yaml would keep only one of them)',
  TAB_AS_INDENT: 'tab used for indentation; YAML indents with spaces',
  BAD_INDENT: 'bad indentation',
  MULTIPLE_DOCS: 'several documents without a `---` separator',
};

function yamlMessage(code: string, message: string): string {
  const first = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
  const hint = YAML_HINTS[code];
  return hint !== undefined && code !== 'BAD_INDENT' ? hint : `invalid YAML: ${first}`;
}

function checkAliases(source: SourceFile, doc: Document.Parsed, diagnostics: Diagnostics): boolean {
  let firstAlias: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      firstAlias = node.range?.[0];
      return visit.BREAK;
    },
  });
  if (firstAlias === undefined) return true;
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
    return true;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const message = /alias count/i.test(reason)
      ? `YAML aliases expand too much (more than ${MAX_ALIAS_EXPANSIONS} expansions); refusing a possible "billion laughs" document`
      : `invalid YAML alias: ${reason}`;
    diagnostics.error(source.position(firstAlias), '', message);
    return false;
  }
}

function checkProtoKeys(source: SourceFile, doc: Document.Parsed, diagnostics: Diagnostics): void {
  visit(doc, {
    Pair(_key, pair) {
      const key = pair.key;
      if (key !== null && typeof key === 'object' && 'value' in key && !isAlias(key) && key.value === '__proto__') {
        const at = (key as { range?: [number, number, number] }).range?.[0] ?? 0;
        diagnostics.error(source.position(at), '', "the key '__proto__' is not allowed in a kops manifest");
      }
    },
  });
}

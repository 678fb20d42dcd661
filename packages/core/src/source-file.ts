import { Composer, Document, LineCounter, Parser, isAlias, isMap, isPair, isScalar, isSeq, visit, type Node, type YAMLError } from 'yaml';
import type { Diagnostics, SourcePosition } from './diagnostics';
import { joinKey, YamlNode } from './yaml-node';

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
export const MAX_ALIAS_EXPANSIONS = 100;

/**
 * The deepest nesting of collections accepted. kops manifests are about ten levels deep;
 * far deeper input is an attack or an accident, and recursive code would overflow on it.
 */
export const MAX_YAML_DEPTH = 64;

/**
 * Parses every YAML document in a file, keeping each node's position.
 * YAML 1.1 is used because kops reads manifests with go-yaml, where `yes`/`no` are booleans.
 * Documents that hold nothing (an empty file, a trailing `---`) are skipped; a file with
 * no document at all is an error.
 */
export function parseYamlFile(source: SourceFile, diagnostics: Diagnostics): SourceDocument[] {
  return [...yamlDocuments(source, diagnostics)];
}

/**
 * The documents of a file one at a time, each checked as parseYamlFile describes.
 * Only the document being read is held in memory: a file with thousands of clusters
 * needs the memory of one, as long as the caller lets each document go before asking
 * for the next.
 */
export function* yamlDocuments(source: SourceFile, diagnostics: Diagnostics): Generator<SourceDocument, void, undefined> {
  if (!checkText(source, diagnostics)) return;
  // What parseAllDocuments does, without collecting the documents in an array.
  const docs = new Composer(YAML_OPTIONS).compose(new Parser().parse(source.text));
  let index = 0;
  let empty = 0;
  for (;;) {
    let next: IteratorResult<Document.Parsed>;
    try {
      next = docs.next() as IteratorResult<Document.Parsed>;
    } catch (e) {
      // As in parseYamlFile; documents before this point have been read already.
      diagnostics.error(source.position(0), '', parseFailureMessage(e));
      return;
    }
    if (next.done === true) break;
    const read = readDocument(source, next.value, index, diagnostics);
    index += 1;
    if (read === 'empty') empty += 1;
    else if (read !== undefined) yield read;
  }
  if (index === empty) diagnostics.error(source.position(0), '', NO_DOCUMENT_MESSAGE);
}

/** How the yaml package reads manifests (see parseYamlFile for why YAML 1.1). */
const YAML_OPTIONS = {
  version: '1.1',
  prettyErrors: false,
  uniqueKeys: true,
  merge: true,
  keepSourceTokens: false,
} as const;

const NO_DOCUMENT_MESSAGE = 'the file holds no YAML document (it is empty or only comments); expected a kops Cluster manifest';

function parseFailureMessage(e: unknown): string {
  return e instanceof RangeError ? tooDeepMessage() : `invalid YAML: ${e instanceof Error ? e.message : String(e)}`;
}

/**
 * Checks one parsed document: its syntax errors, depth, aliases and `__proto__` keys.
 * Gives the document when it can be read, `empty` when it holds nothing, and nothing
 * when it has errors (reported).
 */
function readDocument(source: SourceFile, doc: Document.Parsed, index: number, diagnostics: Diagnostics): SourceDocument | 'empty' | undefined {
  const before = diagnostics.errorCount;
  for (const e of doc.errors) {
    const quoteChar = e.code === 'MISSING_CHAR' ? /closing (["'])quote/.exec(e.message)?.[1] : undefined;
    const quote = quoteChar !== undefined ? unclosedQuote(source.text, e.pos[0], quoteChar) : undefined;
    if (quote !== undefined) diagnostics.error(source.position(quote), '', 'this quoted string is never closed (it runs to the end of the file); add the closing quote');
    else {
      const { path, message } = yamlMessage(source, doc, e);
      diagnostics.error(source.position(e.pos[0]), path, message);
    }
  }
  if (diagnostics.errorCount !== before) return undefined;
  if (isEmpty(doc)) return 'empty';
  if (!checkDepth(source, doc, diagnostics) || !checkAliases(source, doc, diagnostics)) return undefined;
  checkProtoKeys(source, doc, diagnostics);
  return { source, index, root: YamlNode.root(source, doc) };
}

/** A document with no content: an empty file, only comments, a bare `---`, or `~`. */
function isEmpty(doc: Document.Parsed): boolean {
  return doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null);
}

/**
 * Refuses text that is not a YAML manifest before the parser sees it: binary data
 * (NUL bytes, or bytes that are not UTF-8, which Node decodes to U+FFFD) and control
 * characters, which YAML does not allow anywhere.
 */
function checkText(source: SourceFile, diagnostics: Diagnostics): boolean {
  const binary = /[\u0000\ufffd]/.exec(source.text);
  if (binary !== null) {
    const what = binary[0] === '\u0000' ? 'a NUL byte' : 'bytes that are not UTF-8';
    diagnostics.error(source.position(binary.index), '', `the file is not UTF-8 text (${what} here); kops-iam reads YAML manifests, saved as UTF-8`);
    return false;
  }
  const control = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/.exec(source.text);
  if (control === null) return true;
  const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  diagnostics.error(source.position(control.index), '', `control character ${code} is not allowed in YAML; remove it`);
  return false;
}

function tooDeepMessage(): string {
  return `the YAML is nested too deeply to read (a kops manifest is about ten levels deep; the limit is ${MAX_YAML_DEPTH})`;
}

/** Hints for the yaml package's error codes, saying what to change. */
const YAML_HINTS: Record<string, string> = {
  TAB_AS_INDENT: 'YAML indents with spaces; replace the tab',
  MULTIPLE_DOCS: 'separate documents with a line holding only ---',
  BLOCK_AS_IMPLICIT_KEY: 'a value on the same line as its key cannot start another key: value; move it to the next line, indented, or quote it',
  MULTILINE_IMPLICIT_KEY: "expected 'key: value'; is a ':' missing, or is a key split over two lines?",
  BAD_SCALAR_START: 'quote the value',
  BAD_DQ_ESCAPE: 'in a double-quoted string a backslash starts an escape; write \\\\ for a backslash, or use single quotes',
  MISSING_CHAR: 'close it',
  BAD_INDENT: 'indent it like its siblings',
  UNEXPECTED_TOKEN: 'check the indentation and quoting of this line',
};

function yamlMessage(source: SourceFile, doc: Document.Parsed, e: YAMLError): { path: string; message: string } {
  if (e.code === 'DUPLICATE_KEY') return duplicateKeyMessage(source, doc, e.pos[0]);
  const first = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
  if (/call stack/i.test(first)) return { path: '', message: tooDeepMessage() };
  const hint = YAML_HINTS[e.code];
  return { path: '', message: `invalid YAML: ${first}${hint !== undefined ? `; ${hint}` : ''}` };
}

/**
 * Where the quoted string starts that a "missing closing quote" error (reported at the
 * end of the text) is about: the last quote before it that no backslash escapes, or, for
 * single quotes, that is not one of a doubled pair.
 */
function unclosedQuote(text: string, end: number, quote: string): number | undefined {
  for (let i = Math.min(end, text.length) - 1; i >= 0; i -= 1) {
    if (text[i] !== quote) continue;
    if (quote === '"' && text[i - 1] !== '\\') return i;
    if (quote === "'") {
      if (text[i - 1] === "'") i -= 1;
      else return i;
    }
  }
  return undefined;
}

/** The YAML path of a node from the ancestors the yaml package's visitor passes. */
function yamlPath(ancestors: readonly unknown[], leaf: unknown): string {
  const chain = [...ancestors, leaf];
  let path = '';
  chain.forEach((n, i) => {
    if (isPair(n)) path = joinKey(path, isScalar(n.key) ? String(n.key.value) : '?');
    else if (isSeq(n)) {
      const index = n.items.indexOf(chain[i + 1] as never);
      if (index !== -1) path = `${path}[${index}]`;
    }
  });
  return path;
}

/** Names the repeated key and where it was first written. */
function duplicateKeyMessage(source: SourceFile, doc: Document.Parsed, at: number): { path: string; message: string } {
  let key: string | undefined;
  let firstAt: number | undefined;
  let path = '';
  visit(doc, {
    Map(_k, map, ancestors) {
      const pairs = map.items;
      const dup = pairs.find((p) => (p.key as Node | null)?.range?.[0] === at);
      if (dup === undefined) return undefined;
      const k = dup.key as Node;
      key = isScalar(k) ? String(k.value) : undefined;
      path = yamlPath([...ancestors, map], dup);
      const first = pairs.find((p) => p !== dup && isScalar(p.key) && String(p.key.value) === key);
      firstAt = (first?.key as Node | undefined)?.range?.[0];
      return visit.BREAK;
    },
  });
  const name = key !== undefined ? `'${key}' ` : '';
  const first = firstAt !== undefined ? ` (first at line ${source.position(firstAt).line})` : '';
  return { path, message: `duplicate key ${name}in a mapping${first}; kops would keep only one of them: merge them or delete one` };
}

/** Measures nesting without recursion, so that no depth of input can overflow the stack. */
function checkDepth(source: SourceFile, doc: Document.Parsed, diagnostics: Diagnostics): boolean {
  const stack: [unknown, number][] = [[doc.contents, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (isMap(node) || isSeq(node)) {
      if (depth > MAX_YAML_DEPTH) {
        diagnostics.error(source.position(node.range?.[0] ?? 0), '', tooDeepMessage());
        return false;
      }
      for (const item of node.items) stack.push([item, depth + 1]);
    } else if (isPair(node)) {
      stack.push([node.key, depth], [node.value, depth]);
    }
  }
  return true;
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
    const message =
      e instanceof RangeError && !/alias count/i.test(reason)
        ? `YAML aliases nest too deeply; write the values out instead of aliasing them`
        : /alias count/i.test(reason)
          ? `YAML aliases expand too much (more than ${MAX_ALIAS_EXPANSIONS} expansions); refusing a possible "billion laughs" document — write the values out instead`
          : `invalid YAML alias: ${reason}`;
    diagnostics.error(source.position(firstAlias), '', message);
    return false;
  }
}

function checkProtoKeys(source: SourceFile, doc: Document.Parsed, diagnostics: Diagnostics): void {
  visit(doc, {
    Pair(_key, pair, ancestors) {
      const key = pair.key;
      if (key !== null && typeof key === 'object' && 'value' in key && !isAlias(key) && key.value === '__proto__') {
        const at = (key as { range?: [number, number, number] }).range?.[0] ?? 0;
        diagnostics.error(source.position(at), yamlPath(ancestors, pair), "the key '__proto__' is not allowed in a kops manifest (it could alter JavaScript objects); remove it");
      }
    },
  });
}

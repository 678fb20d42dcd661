import { Composer, Document, Parser, isAlias, isMap, isPair, isScalar, isSeq, visit, type Node, type YAMLError } from 'yaml';
import type { Diagnostics, SourcePosition } from './diagnostics';
import { joinKey, YamlNode } from './yaml-node';

/**
 * An input file's name and the part of its text still needed, with line positions.
 * Text is appended as it is read and forgotten once its documents are done, so a large
 * file is never held whole; offsets are always counted from the start of the file.
 */
export class SourceFile {
  private window = '';
  private windowStart = 0;
  /** File offsets of the window's line starts; the first is line `firstLine`. */
  private lineStarts: number[] = [0];
  private firstLine = 1;

  constructor(
    readonly name: string,
    text = '',
  ) {
    this.append(text);
  }

  /** The text still held, which starts at file offset {@link base}. */
  get text(): string {
    return this.window;
  }

  /** The file offset of the first character of {@link text}. */
  get base(): number {
    return this.windowStart;
  }

  /** Adds the next piece of the file. */
  append(chunk: string): void {
    const at = this.windowStart + this.window.length;
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) this.lineStarts.push(at + i + 1);
    this.window += chunk;
  }

  /** Lets go of the text before `offset` (kept from the start of its line, which positions need). */
  forget(offset: number): void {
    const k = this.lineIndex(offset);
    const end = this.windowStart + this.window.length;
    // All of it, even a last line without a line break.
    const start = offset >= end ? end : (this.lineStarts[k] as number);
    if (start === this.windowStart) return;
    this.window = this.window.slice(start - this.windowStart);
    this.windowStart = start;
    this.lineStarts = this.lineStarts.slice(k);
    this.firstLine += k;
  }

  /** The 1-based line and column of a file offset (clamped to the text held). */
  position(offset: number): SourcePosition {
    const at = Math.max(this.windowStart, Math.min(offset, this.windowStart + this.window.length));
    const k = this.lineIndex(at);
    return { file: this.name, line: this.firstLine + k, col: at - (this.lineStarts[k] as number) + 1 };
  }

  /** The file offset where a 1-based line starts (the end of the text held past the last line). */
  lineStart(line: number): number {
    return this.lineStarts[line - this.firstLine] ?? this.windowStart + this.window.length;
  }

  /** The index in lineStarts of the line holding `offset`. */
  private lineIndex(offset: number): number {
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
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
  // Every document is kept, so their text is too: positions may be asked for at any time.
  return [...documents(source, diagnostics, [], false)];
}

/**
 * The documents of a file one at a time, each checked as parseYamlFile describes: first
 * those in the text `source` holds, then those in each piece of `more`, appended to it as
 * they are needed. The text is cut at the lines that start a document (`---`, or after
 * `...`) and each cut is parsed whole, so only the document being read is held: once the
 * caller asks for the next one, the text before it is let go. A file with thousands of
 * clusters needs the memory of one, as long as the caller lets each document go too.
 */
export function yamlDocuments(source: SourceFile, diagnostics: Diagnostics, more: Iterable<string> = []): Generator<SourceDocument, void, undefined> {
  return documents(source, diagnostics, more, true);
}

function* documents(source: SourceFile, diagnostics: Diagnostics, more: Iterable<string>, forget: boolean): Generator<SourceDocument, void, undefined> {
  const fileStart = source.position(source.base);
  const pieces = more[Symbol.iterator]();
  let complete = false;
  let stopped = false;
  let checkedTo = source.base;
  // Where the next document's text starts in source.text, and where in the file to look for its end.
  let from = 0;
  let searchFrom = source.base;
  let index = 0;
  let empty = 0;
  try {
    for (;;) {
      const bad = badCharacter(source.text, checkedTo - source.base);
      if (bad !== undefined) {
        diagnostics.error(source.position(source.base + bad.index), '', bad.message);
        stopped = true;
        break;
      }
      checkedTo = source.base + source.text.length;
      let cut = nextDocumentCut(source.text, from, Math.max(from, searchFrom - source.base), complete);
      if (cut === undefined && !complete) {
        // Lines already searched are not searched again when more text arrives.
        searchFrom = source.base + source.text.lastIndexOf('\n') + 1;
        // At least as much again as is held: a document far larger than a piece is then
        // copied a few times as it grows, not once per piece.
        for (let wanted = Math.max(1, source.text.length - from); wanted > 0 && !complete; ) {
          const step = pieces.next();
          if (step.done === true) complete = true;
          else {
            source.append(step.value);
            wanted -= step.value.length;
          }
        }
        continue;
      }
      cut ??= source.text.length;
      if (cut === from) break;
      const start = source.base + from;
      const parser = new Parser();
      // Offsets count from the start of the file, as positions and messages need.
      parser.offset = start;
      let docs: Document.Parsed[];
      try {
        docs = [...new Composer(YAML_OPTIONS).compose(parser.parse(source.text.slice(from, cut)))] as Document.Parsed[];
      } catch (e) {
        diagnostics.error(fileStart, '', parseFailureMessage(e));
        stopped = true;
        break;
      }
      for (const doc of docs) {
        const read = readDocument(source, doc, index, diagnostics);
        index += 1;
        if (read === 'empty') empty += 1;
        else if (read !== undefined) yield read;
      }
      // The caller is done with these documents: their text can go.
      const end = source.base + cut;
      if (forget) source.forget(end);
      from = end - source.base;
    }
  } finally {
    // Closes a file read in pieces when its reading stops early.
    pieces.return?.();
  }
  if (!stopped && index === empty) diagnostics.error(fileStart, '', NO_DOCUMENT_MESSAGE);
}

/** A line that starts (`---`) or ends (`...`) a document: a marker at column 0 followed by a blank or the end. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;

/** A line with something a document is made of: not blank, not only a comment, not a directive. */
const CONTENT_LINE = /^(?![ \t]*(?:#|\r?$)|%)./m;

/**
 * Where the text holding the next document (which starts at `start`) ends: before a `---`
 * line that follows content, or after a `...` line. Undefined when there is no such line
 * yet (or, while more text may come, when the marker is on the last line, which may grow).
 */
function nextDocumentCut(text: string, start: number, from: number, complete: boolean): number | undefined {
  DOCUMENT_MARKER.lastIndex = from;
  for (let m = DOCUMENT_MARKER.exec(text); m !== null; m = DOCUMENT_MARKER.exec(text)) {
    const lineEnd = text.indexOf('\n', m.index);
    if (lineEnd === -1 && !complete) return undefined;
    if (m[0] === '...') {
      if (lineEnd === -1) return undefined;
      return lineEnd + 1;
    }
    // A `---` after only comments and directives starts the first document of the text.
    if (m.index > start && CONTENT_LINE.test(text.slice(start, m.index))) return m.index;
  }
  return undefined;
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
    const local = quoteChar !== undefined ? unclosedQuote(source.text, e.pos[0] - source.base, quoteChar) : undefined;
    const quote = local === undefined ? undefined : source.base + local;
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

const BINARY = /[\u0000\ufffd]/g;
const CONTROL = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g;

/**
 * The first character from `from` on that makes text not a YAML manifest, found before the parser sees
 * it: binary data (NUL bytes, or bytes that are not UTF-8, which Node decodes to U+FFFD)
 * and control characters, which YAML does not allow anywhere.
 */
function badCharacter(text: string, from: number): { index: number; message: string } | undefined {
  BINARY.lastIndex = from;
  const binary = BINARY.exec(text);
  if (binary !== null) {
    const what = binary[0] === '\u0000' ? 'a NUL byte' : 'bytes that are not UTF-8';
    return { index: binary.index, message: `the file is not UTF-8 text (${what} here); kops-iam reads YAML manifests, saved as UTF-8` };
  }
  CONTROL.lastIndex = from;
  const control = CONTROL.exec(text);
  if (control === null) return undefined;
  const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  return { index: control.index, message: `control character ${code} is not allowed in YAML; remove it` };
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

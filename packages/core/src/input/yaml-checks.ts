import { isMap, isPair, isScalar, isSeq, visit, isAlias, type Document, type Node, type YAMLError } from 'yaml';
import type { DiagnosticCode } from '../diagnostics/codes';
import type { Report } from '../diagnostics/report';
import type { Locator } from './yaml-node';
import { pathOfAncestors } from './yaml-path';

/**
 * The deepest nesting of collections accepted. kops manifests are about ten levels deep;
 * far deeper input is an attack or an accident, and recursive code would overflow on it.
 */
export const MAX_YAML_DEPTH = 64;

/** The most alias expansions one document may cause; a "billion laughs" document needs far more. */
export const MAX_ALIAS_EXPANSIONS = 100;

export const TOO_DEEP = `the YAML is nested too deeply to read (a kops manifest is about ten levels deep; the limit is ${MAX_YAML_DEPTH})`;

/** Hints for the yaml package's error codes, saying what to change. */
const YAML_HINTS: Record<string, string> = {
  TAB_AS_INDENT: 'YAML indents with spaces; replace the tab',
  MULTIPLE_DOCS: 'separate documents with a line holding only ---',
  BLOCK_AS_IMPLICIT_KEY:
    'a value on the same line as its key cannot start another key: value; move it to the next line, indented, or quote it',
  MULTILINE_IMPLICIT_KEY: "expected 'key: value'; is a ':' missing, or is a key split over two lines?",
  BAD_SCALAR_START: 'quote the value',
  BAD_DQ_ESCAPE: 'in a double-quoted string a backslash starts an escape; write \\\\ for a backslash, or use single quotes',
  MISSING_CHAR: 'close it',
  BAD_INDENT: 'indent it like its siblings',
  UNEXPECTED_TOKEN: 'check the indentation and quoting of this line',
};

/** A parse error of the yaml package as kops-iam reports it. */
export interface YamlProblem {
  readonly code: DiagnosticCode;
  readonly offset: number;
  readonly path: string;
  readonly message: string;
}

/** What to say about one of the yaml package's errors, and where. */
export function yamlErrorMessage(text: string, doc: Document.Parsed, e: YAMLError, locator: Locator): YamlProblem {
  const quoteChar = e.code === 'MISSING_CHAR' ? /closing (["'])quote/.exec(e.message)?.[1] : undefined;
  const quote = quoteChar !== undefined ? unclosedQuote(text, e.pos[0], quoteChar) : undefined;
  if (quote !== undefined) {
    return {
      code: 'KI009',
      offset: quote,
      path: '',
      message: 'this quoted string is never closed (it runs to the end of the file); add the closing quote',
    };
  }
  if (e.code === 'DUPLICATE_KEY') return duplicateKey(doc, e.pos[0], locator);
  const first = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
  if (/call stack/i.test(first)) return { code: 'KI005', offset: e.pos[0], path: '', message: TOO_DEEP };
  const hint = YAML_HINTS[e.code];
  return { code: 'KI003', offset: e.pos[0], path: '', message: `invalid YAML: ${first}${hint !== undefined ? `; ${hint}` : ''}` };
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

/** Names the repeated key and where it was first written. */
function duplicateKey(doc: Document.Parsed, at: number, locator: Locator): YamlProblem {
  let key: string | undefined;
  let firstAt: number | undefined;
  let path = '';
  visit(doc, {
    Map(_k, map, ancestors) {
      const dup = map.items.find((p) => (p.key as Node | null)?.range?.[0] === at);
      if (dup === undefined) return undefined;
      const k = dup.key as Node;
      key = isScalar(k) ? String(k.value) : undefined;
      path = pathOfAncestors([...ancestors, map], dup);
      const first = map.items.find((p) => p !== dup && isScalar(p.key) && String(p.key.value) === key);
      firstAt = (first?.key as Node | undefined)?.range?.[0];
      return visit.BREAK;
    },
  });
  const name = key !== undefined ? `'${key}' ` : '';
  const first = firstAt !== undefined ? ` (first at line ${locator.position(firstAt).line})` : '';
  return {
    code: 'KI004',
    offset: at,
    path,
    message: `duplicate key ${name}in a mapping${first}; kops would keep only one of them: merge them or delete one`,
  };
}

/** Depth, alias expansion and `__proto__` keys: true when the document can be read. */
export function checkDocumentShape(doc: Document.Parsed, locator: Locator, report: Report): boolean {
  const shape = measure(doc);
  if (shape.tooDeepAt !== undefined) {
    report.error('KI005', { pos: locator.position(shape.tooDeepAt), path: '' }, TOO_DEEP);
    return false;
  }
  if (shape.unknownAlias !== undefined) {
    const { at, name } = shape.unknownAlias;
    report.error(
      'KI003',
      { pos: locator.position(at), path: '' },
      `invalid YAML: alias *${name} refers to no anchor &${name}; define the anchor first`,
    );
    return false;
  }
  if (shape.aliasBomb) {
    const message =
      `YAML aliases expand too much (more than ${MAX_ALIAS_EXPANSIONS} expansions); refusing a possible "billion laughs" ` +
      `document — write the values out instead`;
    report.error('KI006', { pos: locator.position(firstAlias(doc)), path: '' }, message);
    return false;
  }
  if (!shape.protoKey) return true;
  let ok = true;
  visit(doc, {
    Pair(_key, pair, ancestors) {
      const k = pair.key;
      if (isScalar(k) && k.value === '__proto__') {
        ok = false;
        const message = "the key '__proto__' is not allowed in a kops manifest (it could alter JavaScript objects); remove it";
        report.error('KI007', { pos: locator.position(k.range?.[0] ?? 0), path: pathOfAncestors(ancestors, pair) }, message);
      }
    },
  });
  return ok;
}

/**
 * Walks the document as a reader following aliases would, without recursion and within
 * a fixed budget: nesting past MAX_YAML_DEPTH, or more than MAX_ALIAS_EXPANSIONS aliases
 * followed, stops the walk. The budget keeps an alias bomb from costing more than a look.
 */
function measure(doc: Document.Parsed): {
  tooDeepAt?: number;
  aliasBomb?: boolean;
  protoKey?: boolean;
  unknownAlias?: { at: number; name: string };
} {
  const stack: [unknown, number][] = [[doc.contents, 1]];
  let expansions = 0;
  let protoKey = false;
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (isAlias(node)) {
      expansions += 1;
      if (expansions > MAX_ALIAS_EXPANSIONS) return { aliasBomb: true };
      const target = node.resolve(doc);
      // go-yaml, and so kops, refuses an alias without its anchor; the yaml package reads it as null.
      if (target === undefined) return { unknownAlias: { at: node.range?.[0] ?? 0, name: node.source } };
      stack.push([target, depth]);
    } else if (isMap(node) || isSeq(node)) {
      if (depth > MAX_YAML_DEPTH) return { tooDeepAt: node.range?.[0] ?? 0 };
      for (const item of node.items) stack.push([item, depth + 1]);
    } else if (isPair(node)) {
      protoKey ||= isScalar(node.key) && node.key.value === '__proto__';
      stack.push([node.key, depth], [node.value, depth]);
    }
  }
  return { protoKey };
}

/** Where the document's first alias is written: where a reader sees the expansion start. */
function firstAlias(doc: Document.Parsed): number {
  let at = 0;
  visit(doc, {
    Alias(_key, node) {
      at = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return at;
}

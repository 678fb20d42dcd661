import { Composer, LineCounter, Parser, isScalar, type Document } from 'yaml';
import type { Report } from '../diagnostics/report';
import { aliasFlood, MAX_ALIASES_PER_DOCUMENT } from './alias-flood';
import type { InputFile } from './input-file';
import { checkDocumentShape, TOO_DEEP, yamlErrorMessage } from './yaml-checks';
import { YamlNode, type Locator } from './yaml-node';

/** A document of an input file that holds something, with where its text is. */
export interface YamlDocument {
  /** The input it comes from and its index there (counting empty documents too). */
  readonly file: string;
  readonly index: number;
  /** Character offsets of the document's text in the file. */
  readonly start: number;
  readonly end: number;
  readonly root: YamlNode;
}

/**
 * How manifests are read. YAML 1.1 because kops reads them with go-yaml, where `yes` and
 * `no` are booleans and `<<` merges mappings; policies written as YAML are read from the
 * scalars' text instead (see policy-tree.ts), so that no 1.1 rule changes what IAM gets.
 */
const YAML_OPTIONS = { version: '1.1', merge: true, uniqueKeys: true, prettyErrors: false, keepSourceTokens: false } as const;

const NO_DOCUMENT = 'the file holds no YAML document (it is empty or only comments); expected a kops Cluster manifest';

/**
 * Every document of an input, parsed once with the yaml package's own parser, composer
 * and line counter. Documents with errors are reported and left out; empty ones are
 * skipped; a file with no document at all is an error.
 */
export function* readYamlFile(input: InputFile, report: Report): Generator<YamlDocument, void, undefined> {
  const lines = new LineCounter();
  const locator = lineLocator(input, lines);
  const bad = badCharacter(input.text);
  if (bad !== undefined) {
    // Offsets before the bad character need line starts: count them without parsing.
    countLines(input.text, lines);
    report.error(bad.code, { pos: locator.position(bad.index), path: '' }, bad.message);
    return;
  }
  const flood = aliasFlood(input.text);
  if (flood !== undefined) {
    countLines(input.text, lines);
    const message =
      `more than ${MAX_ALIASES_PER_DOCUMENT} YAML aliases in one document; refusing a possible "billion laughs" document — ` +
      'write the values out instead';
    report.error('KI006', { pos: locator.position(flood + (/\s|[,[{]/.test(input.text[flood] ?? '') ? 1 : 0)), path: '' }, message);
    return;
  }
  let index = 0;
  let empty = 0;
  // This file's documents with errors: another file's errors must not hide that this one is empty.
  let broken = 0;
  try {
    const composer = new Composer(YAML_OPTIONS);
    for (const doc of composer.compose(new Parser(lines.addNewLine).parse(input.text))) {
      const read = readDocument(input.text, doc as Document.Parsed, index, locator, report);
      index += 1;
      if (read === 'empty') empty += 1;
      else if (read === undefined) broken += 1;
      // One document at a time: the caller reads it and lets it go before the next is composed.
      else if (read !== undefined) yield read;
    }
  } catch (e) {
    // The parser recurses on nesting; a RangeError means input far deeper than any manifest.
    report.error(
      e instanceof RangeError ? 'KI005' : 'KI003',
      { pos: locator.position(0), path: '' },
      e instanceof RangeError ? TOO_DEEP : `invalid YAML: ${String(e)}`,
    );
    return;
  }
  if (index === empty && broken === 0 && input.firstLine === undefined)
    report.error('KI008', { pos: locator.position(0), path: '' }, NO_DOCUMENT);
}

function readDocument(
  text: string,
  doc: Document.Parsed,
  index: number,
  locator: Locator,
  report: Report,
): YamlDocument | 'empty' | undefined {
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const { code, offset, path, message } = yamlErrorMessage(text, doc, e, locator);
      report.error(code, { pos: locator.position(offset), path }, message);
    }
    return undefined;
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return 'empty';
  if (!checkDocumentShape(doc, locator, report)) return undefined;
  return { file: locator.file, index, start: doc.range[0], end: doc.range[2], root: YamlNode.root(doc, locator) };
}

/** Positions from the yaml package's line counter, with the file's name. */
function lineLocator(input: InputFile, lines: LineCounter): Locator {
  const file = input.name;
  return {
    file,
    text: input.text,
    position(offset) {
      const { line, col } = lines.linePos(offset);
      const shift = (input.firstLine ?? 1) - 1;
      return line === 0 ? { file, line: 1 + shift, col: offset + 1 } : { file, line: line + shift, col };
    },
  };
}

function countLines(text: string, lines: LineCounter): void {
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
}

const BINARY = /[\u0000\ufffd]/;
const CONTROL = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/;

/**
 * The first character that makes text not a YAML manifest, found before the parser sees
 * it: binary data (NUL bytes, or bytes that are not UTF-8, which Node decodes to U+FFFD)
 * and control characters, which YAML does not allow anywhere.
 */
function badCharacter(text: string): { index: number; code: 'KI001' | 'KI002'; message: string } | undefined {
  const binary = BINARY.exec(text);
  if (binary !== null) {
    const what = binary[0] === '\u0000' ? 'a NUL byte' : 'bytes that are not UTF-8';
    return {
      index: binary.index,
      code: 'KI001',
      message: `the file is not UTF-8 text (${what} here); kops-iam reads YAML manifests, saved as UTF-8`,
    };
  }
  const control = CONTROL.exec(text);
  if (control === null) return undefined;
  const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  return { index: control.index, code: 'KI002', message: `control character ${code} is not allowed in YAML; remove it` };
}

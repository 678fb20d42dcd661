import { ParseErrorCode, visit, type JSONVisitor } from 'jsonc-parser';
import {
  COMMENT,
  expectsValue,
  INVALID_NUMBER,
  MAX_JSON_DEPTH,
  stringProblem,
  tooDeep,
  unexpectedAt,
  type ErrorContext,
  type Expect,
  type JsonError,
} from './json-messages';

/** A JSON value with the offset (in the parsed text) of its first character. */
export type JsonNode =
  | { readonly kind: 'object'; readonly start: number; readonly entries: readonly JsonEntry[] }
  | { readonly kind: 'array'; readonly start: number; readonly items: readonly JsonNode[] }
  | { readonly kind: 'string'; readonly start: number; readonly value: string }
  /** `raw` is the number exactly as written: 1e400 or a 24-digit account-like number stay what the user wrote. */
  | { readonly kind: 'number'; readonly start: number; readonly raw: string }
  | { readonly kind: 'boolean'; readonly start: number; readonly value: boolean }
  | { readonly kind: 'null'; readonly start: number };

/** One member of a JSON object; all members are kept in source order, duplicates too, so callers can report them. */
export interface JsonEntry {
  readonly key: string;
  readonly keyStart: number;
  readonly value: JsonNode;
}

/** The tree, or where and why the text is not JSON. */
export type JsonParseResult =
  { readonly ok: true; readonly value: JsonNode } | { readonly ok: false; readonly offset: number; readonly message: string };

export { MAX_JSON_DEPTH };

/** Strict JSON (RFC 8259): jsonc-parser's comment and trailing-comma extensions off. */
const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false } as const;

/** Thrown out of the visitor: the first error ends the parse, and unwinds jsonc-parser's recursion at once. */
class StopAt {
  constructor(readonly error: JsonError) {}
}

/**
 * Parses strict JSON with jsonc-parser, keeping the offset of every value and key and
 * reporting the first error with the offset and wording kops-iam's diagnostics use.
 * Linear in the text; nesting beyond {@link MAX_JSON_DEPTH} stops the parse before
 * jsonc-parser's recursive descent could exhaust the stack.
 */
export function parseJsonTree(text: string): JsonParseResult {
  const builder = new TreeBuilder(text);
  try {
    visit(text, builder.visitor(), STRICT);
  } catch (e) {
    if (e instanceof StopAt) return { ok: false, ...e.error };
    throw e;
  }
  const root = builder.root;
  // jsonc-parser reports every way of failing through onError; no error means a value was read.
  if (root === undefined) throw new Error('jsonc-parser read no value and reported no error');
  return { ok: true, value: root };
}

/** An open object or list, and the property whose value comes next (objects). */
interface Frame {
  readonly entries?: JsonEntry[];
  readonly items?: JsonNode[];
  key: string;
  keyStart: number;
}

/** A scan error (bad string or number) held until the parser shows what it makes of that token. */
interface PendingScanError {
  readonly offset: number;
  readonly length: number;
}

/**
 * Builds the tree from jsonc-parser's visitor events and keeps what the parser expects
 * next, which the error wording needs (jsonc-parser's codes say less: an unquoted word
 * is "InvalidSymbol" wherever it stands).
 */
class TreeBuilder implements ErrorContext {
  root: JsonNode | undefined;
  expect: Expect = 'value';
  comma = -1;
  lastEnd = 0;
  private readonly stack: Frame[] = [];
  private pending: PendingScanError | undefined;

  constructor(readonly text: string) {}

  get depth(): number {
    return this.stack.length;
  }

  get key(): string {
    return this.stack[this.stack.length - 1]?.key ?? '';
  }

  visitor(): JSONVisitor {
    return {
      onObjectBegin: (offset) => {
        const entries: JsonEntry[] = [];
        this.open({ kind: 'object', start: offset, entries }, { entries, key: '', keyStart: 0 });
      },
      onArrayBegin: (offset) => {
        const items: JsonNode[] = [];
        this.open({ kind: 'array', start: offset, items }, { items, key: '', keyStart: 0 });
      },
      onObjectEnd: (offset) => this.close(offset, '}'),
      onArrayEnd: (offset) => this.close(offset, ']'),
      onObjectProperty: (name, offset, length) => this.property(name, offset, length),
      onSeparator: (character, offset) => this.separator(character, offset),
      onLiteralValue: (value: unknown, offset, length) => this.literal(value, offset, length),
      onError: (code, offset, length) => this.error(code, offset, length),
    };
  }

  /** Checked before jsonc-parser descends further: throwing here bounds its recursion at the limit. */
  private open(node: JsonNode, frame: Frame): void {
    if (this.depth > MAX_JSON_DEPTH) throw new StopAt(tooDeep(node.start));
    this.attach(node);
    this.stack.push(frame);
    this.expect = frame.entries !== undefined ? 'firstKey' : 'firstItem';
    this.comma = -1;
  }

  private close(offset: number, bracket: string): void {
    // jsonc-parser also ends a container at the end of the text; its CloseBrace/BracketExpected follows.
    if (this.text[offset] !== bracket) return;
    this.stack.pop();
    this.done(offset + 1);
  }

  private property(name: string, offset: number, length: number): void {
    this.raisePending(offset, length);
    const frame = this.stack[this.stack.length - 1] as Frame;
    frame.key = name;
    frame.keyStart = offset;
    this.expect = 'colon';
    this.comma = -1;
  }

  private separator(character: string, offset: number): void {
    if (character === ':') {
      this.expect = 'value';
      return;
    }
    this.comma = offset;
    this.expect = this.stack[this.stack.length - 1]?.entries !== undefined ? 'key' : 'value';
  }

  private literal(value: unknown, offset: number, length: number): void {
    // The old parser checked depth before reading the value, so a bad string at depth 65 is "too deep".
    if (this.depth > MAX_JSON_DEPTH) throw new StopAt(tooDeep(offset));
    this.raisePending(offset, length);
    this.attach(scalarNode(this.text, value, offset, length));
    this.done(offset + length);
  }

  private error(code: ParseErrorCode, offset: number, length: number): void {
    if (isScanError(code)) {
      // Reported as the token is read, before the parser has looked at it: a string where a
      // comma belongs is a missing comma, whatever is wrong inside it. Decided at the next event.
      this.pending = { offset, length };
      return;
    }
    // A comment is named as such wherever it stands, unless a value there would already be too deep (depth comes first).
    const tooDeepHere = expectsValue(this) && this.depth > MAX_JSON_DEPTH;
    if (code === ParseErrorCode.InvalidCommentToken && !tooDeepHere) throw new StopAt({ offset, message: COMMENT });
    throw new StopAt(unexpectedAt(this, offset, length));
  }

  /** A value or key token with a scan error, read where a value or key may stand: the scan error is the error. */
  private raisePending(offset: number, length: number): void {
    const p = this.pending;
    this.pending = undefined;
    if (p === undefined || p.offset !== offset) return;
    if (this.text[offset] === '"') throw new StopAt(stringProblem(this.text, offset, offset + length));
    throw new StopAt({ offset, message: INVALID_NUMBER });
  }

  private attach(node: JsonNode): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent === undefined) this.root = node;
    else if (parent.items !== undefined) parent.items.push(node);
    else parent.entries?.push({ key: parent.key, keyStart: parent.keyStart, value: node });
  }

  private done(end: number): void {
    this.lastEnd = end;
    const parent = this.stack[this.stack.length - 1];
    this.expect = parent === undefined ? 'end' : parent.items !== undefined ? 'afterItem' : 'afterMember';
    this.comma = -1;
  }
}

/** Errors jsonc-parser's scanner finds inside one string or number token. */
function isScanError(code: ParseErrorCode): boolean {
  return (
    code === ParseErrorCode.UnexpectedEndOfString ||
    code === ParseErrorCode.UnexpectedEndOfNumber ||
    code === ParseErrorCode.InvalidUnicode ||
    code === ParseErrorCode.InvalidEscapeCharacter ||
    code === ParseErrorCode.InvalidCharacter
  );
}

function scalarNode(text: string, value: unknown, start: number, length: number): JsonNode {
  if (typeof value === 'string') return { kind: 'string', start, value };
  if (typeof value === 'boolean') return { kind: 'boolean', start, value };
  if (value === null) return { kind: 'null', start };
  // jsonc-parser hands over Number(raw); the source text is kept instead (1e400 is not Infinity/null).
  return { kind: 'number', start, raw: text.slice(start, start + length) };
}

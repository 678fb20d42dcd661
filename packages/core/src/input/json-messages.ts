/**
 * The wording of JSON syntax errors. jsonc-parser finds where the text stops being JSON
 * (an error code at a token offset); these functions say what is wrong in the terms a
 * kops user needs, from what the parser expected at that point and the characters there.
 * The texts are those of the hand-written parser this replaces: goldens depend on them.
 */

/** What the parser expects next; kept by json-tree.ts from jsonc-parser's visitor events. */
export type Expect =
  | 'value' // a value: the whole text, after ':', or after ',' in a list
  | 'firstItem' // after '[': a value or ']'
  | 'firstKey' // after '{': a property name or '}'
  | 'key' // after ',' in an object
  | 'colon' // after a property name
  | 'afterMember' // after a property's value: ',' or '}'
  | 'afterItem' // after a list element: ',' or ']'
  | 'end'; // after the whole value: nothing but blanks

/** Where the parse stands when an error is found. */
export interface ErrorContext {
  readonly text: string;
  readonly expect: Expect;
  /** Containers open around the next value. */
  readonly depth: number;
  /** The last property name of the innermost object ('' in a list). */
  readonly key: string;
  /** The offset of the comma just read, -1 if the last token was not a comma. */
  readonly comma: number;
  /** Where the last complete value ends: a missing comma belongs right there. */
  readonly lastEnd: number;
}

export interface JsonError {
  readonly offset: number;
  readonly message: string;
}

/** The deepest nesting accepted; IAM policies are shallow, and deep input is an attack or an accident. */
export const MAX_JSON_DEPTH = 64;

export const COMMENT = 'JSON has no comments; remove it';
export const INVALID_NUMBER = 'invalid number';

export function tooDeep(offset: number): JsonError {
  return { offset, message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` };
}

/**
 * The error for whatever stands at `at` when the parser wanted what `c.expect` says;
 * `length` is that of the token jsonc-parser read there.
 */
export function unexpectedAt(c: ErrorContext, at: number, length: number): JsonError {
  const ch = c.text[at];
  const trailing = c.comma !== -1 && ((c.expect === 'value' && ch === ']') || (c.expect === 'key' && ch === '}'));
  if (trailing) return { offset: c.comma, message: "a trailing comma is not allowed in JSON; remove this ','" };
  if (expectsValue(c) && c.depth > MAX_JSON_DEPTH) return tooDeep(at);
  switch (c.expect) {
    case 'value':
    case 'firstItem':
      return { offset: at, message: notAValue(c.text, at, length) };
    case 'key':
    case 'firstKey':
      return { offset: at, message: notAKey(c.text, at) };
    case 'colon':
      return { offset: at, message: `expected ':' after property name "${c.key}", found ${describe(c.text, at)}` };
    case 'afterMember':
      return afterMember(c, at);
    case 'afterItem':
      return afterItem(c, at);
    case 'end':
      return { offset: at, message: `unexpected ${describe(c.text, at)} after the end of the JSON value` };
  }
}

/** True where the next token must start a value, so that nesting depth applies to it. */
export function expectsValue(c: Pick<ErrorContext, 'expect'>): boolean {
  return c.expect === 'value' || c.expect === 'firstItem';
}

function notAValue(text: string, at: number, length: number): string {
  const ch = text[at];
  if (ch === "'") return 'JSON strings use double quotes, not single quotes';
  if (ch === undefined) return 'expected a JSON value, found end of text';
  if (ch === '/' || ch === '#') return COMMENT;
  if (ch === ']' || ch === '}') return `expected a value, found ${describe(text, at)}`;
  // jsonc-parser reads a lone '-' (no digit after it) as an unknown symbol.
  if (ch === '-') return INVALID_NUMBER;
  let word = /^[A-Za-z_][A-Za-z0-9_:*-]*/.exec(text.slice(at, at + 100))?.[0];
  // The parser read one symbol that is not the keyword ("null#"): show all of it, not "null".
  if (word === 'true' || word === 'false' || word === 'null') word = text.slice(at, at + Math.min(length, 100));
  if (word !== undefined) {
    return `expected a JSON value, found ${JSON.stringify(word)} without quotes; JSON strings are written in double quotes`;
  }
  return `expected a JSON value, found ${describe(text, at)}`;
}

function notAKey(text: string, at: number): string {
  const ch = text[at];
  const hint =
    ch === "'" ? '; JSON uses double quotes' : ch !== undefined && /[A-Za-z_$]/.test(ch) ? '; JSON property names are quoted: "Name"' : '';
  return `expected a property name in double quotes, found ${describe(text, at)}${hint}`;
}

function afterMember(c: ErrorContext, at: number): JsonError {
  const ch = c.text[at];
  if (ch === '"') {
    return { offset: c.lastEnd, message: `expected ',' or '}' after property "${c.key}": missing comma before the next property` };
  }
  if (ch === undefined) return { offset: at, message: "unexpected end of text: the object is not closed; add '}'" };
  return { offset: at, message: `expected ',' or '}' after property "${c.key}", found ${describe(c.text, at)}` };
}

function afterItem(c: ErrorContext, at: number): JsonError {
  const ch = c.text[at];
  if (ch === '{' || ch === '"' || ch === '[') {
    return { offset: c.lastEnd, message: "expected ',' or ']' after a list element: missing comma before the next element" };
  }
  if (ch === undefined) return { offset: at, message: "unexpected end of text: the list is not closed; add ']'" };
  const hint = ch === '}' ? ' (a list is closed with ], an object with })' : '';
  return { offset: at, message: `expected ',' or ']' after a list element, found ${describe(c.text, at)}${hint}` };
}

function describe(text: string, at: number): string {
  return at >= text.length ? 'end of text' : `character ${JSON.stringify(text[at])}`;
}

/**
 * The first problem inside a string token that jsonc-parser flagged. The library gives one
 * error code per token (the last problem it met) at the opening quote; users need the
 * offending character itself, so the token's own characters, [start, end) as the library
 * delimited them, are looked through here. Errors only: valid strings never come here.
 */
export function stringProblem(text: string, start: number, end: number): JsonError {
  for (let i = start + 1; i < end; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0x5c) {
      const length = escapeLength(text, i);
      if (length === 0) {
        const escape = JSON.stringify(text.slice(i, i + 2));
        return { offset: i, message: `invalid escape sequence ${escape} in a JSON string; write \\\\ for a backslash` };
      }
      i += length - 1;
    } else if (code === 0x0a || code === 0x0d) {
      return lineBreakInString(i);
    } else if (code < 0x20) {
      return { offset: i, message: 'a control character inside a JSON string; write it as an escape such as \\t' };
    }
  }
  // No bad character inside: the library stopped the token at a line break, or at the end of the text.
  if (end < text.length) return lineBreakInString(end);
  return { offset: start, message: "unterminated string: add the closing '\"'" };
}

function lineBreakInString(offset: number): JsonError {
  const message = `a JSON string runs into a line break (control characters are not allowed in strings); is the closing '"' missing?`;
  return { offset, message };
}

/** The length of a valid escape at `i` (a backslash), 0 when it is not one. */
function escapeLength(text: string, i: number): number {
  const next = text[i + 1];
  if (next !== undefined && '"\\/bfnrt'.includes(next)) return 2;
  if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return 6;
  return 0;
}

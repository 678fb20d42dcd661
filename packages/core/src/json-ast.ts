/** A JSON value with the character offsets where it starts, as parsed by {@link parseJson}. */
export type JsonNode =
  | { readonly kind: 'object'; readonly start: number; readonly entries: readonly JsonEntry[] }
  | { readonly kind: 'array'; readonly start: number; readonly items: readonly JsonNode[] }
  | { readonly kind: 'string'; readonly start: number; readonly value: string }
  | { readonly kind: 'number'; readonly start: number; readonly value: number }
  | { readonly kind: 'boolean'; readonly start: number; readonly value: boolean }
  | { readonly kind: 'null'; readonly start: number };

/** One member of a JSON object, in source order (duplicates kept, so they can be reported). */
export interface JsonEntry {
  readonly key: string;
  readonly keyStart: number;
  readonly value: JsonNode;
}

/** A parse result: the tree, or where and why the text is not JSON. */
export type JsonParseResult =
  | { readonly ok: true; readonly value: JsonNode }
  | { readonly ok: false; readonly offset: number; readonly message: string };

/** The deepest nesting accepted; IAM policies are shallow, and deep input would overflow the stack. */
const MAX_DEPTH = 64;

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses strict JSON (RFC 8259) keeping offsets, because JSON.parse reports neither
 * positions of values nor a useful place for errors inside YAML block scalars.
 */
export function parseJson(text: string): JsonParseResult {
  const p = new Parser(text);
  try {
    p.ws();
    const value = p.value(0);
    p.ws();
    if (p.i < text.length) throw new JsonSyntaxError(p.i, `unexpected ${p.describe()} after the end of the JSON value`);
    return { ok: true, value };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, offset: e.offset, message: e.message };
    throw e;
  }
}

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  describe(): string {
    if (this.i >= this.s.length) return 'end of text';
    return `character ${JSON.stringify(this.s[this.i])}`;
  }

  ws(): void {
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i += 1;
      else break;
    }
  }

  value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(this.i, `JSON nested deeper than ${MAX_DEPTH} levels`);
    const start = this.i;
    const c = this.s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return { kind: 'string', start, value: this.string() };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return { kind: 'number', start, value: this.number() };
    for (const [word, node] of [
      ['true', { kind: 'boolean', start, value: true }],
      ['false', { kind: 'boolean', start, value: false }],
      ['null', { kind: 'null', start }],
    ] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return node;
      }
    }
    if (c === "'") throw new JsonSyntaxError(this.i, 'JSON strings use double quotes, not single quotes');
    if (c === undefined) throw new JsonSyntaxError(this.i, 'expected a JSON value, found end of text');
    if (c === '/' || c === '#') throw new JsonSyntaxError(this.i, 'JSON has no comments; remove it');
    if (c === ']' || c === '}') throw new JsonSyntaxError(this.i, `expected a value, found ${this.describe()}`);
    const word = /^[A-Za-z_][A-Za-z0-9_:*-]*/.exec(this.s.slice(this.i, this.i + 100))?.[0];
    if (word !== undefined) throw new JsonSyntaxError(this.i, `expected a JSON value, found ${JSON.stringify(word)} without quotes; JSON strings are written in double quotes`);
    throw new JsonSyntaxError(this.i, `expected a JSON value, found ${this.describe()}`);
  }

  object(depth: number): JsonNode {
    const start = this.i;
    this.i += 1;
    const entries: JsonEntry[] = [];
    this.ws();
    if (this.s[this.i] === '}') {
      this.i += 1;
      return { kind: 'object', start, entries };
    }
    let comma = -1;
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}' && comma !== -1) throw new JsonSyntaxError(comma, "a trailing comma is not allowed in JSON; remove this ','");
      if (this.s[this.i] !== '"') {
        const c = this.s[this.i];
        const hint = c === "'" ? '; JSON uses double quotes' : c !== undefined && /[A-Za-z_$]/.test(c) ? '; JSON property names are quoted: "Name"' : '';
        throw new JsonSyntaxError(this.i, `expected a property name in double quotes, found ${this.describe()}${hint}`);
      }
      const keyStart = this.i;
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') throw new JsonSyntaxError(this.i, `expected ':' after property name "${key}", found ${this.describe()}`);
      this.i += 1;
      this.ws();
      entries.push({ key, keyStart, value: this.value(depth + 1) });
      const afterValue = this.i;
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        comma = this.i;
        this.i += 1;
        continue;
      }
      if (c === '}') {
        this.i += 1;
        return { kind: 'object', start, entries };
      }
      if (c === '"') throw new JsonSyntaxError(afterValue, `expected ',' or '}' after property "${key}": missing comma before the next property`);
      if (c === undefined) throw new JsonSyntaxError(this.i, `unexpected end of text: the object is not closed; add '}'`);
      throw new JsonSyntaxError(this.i, `expected ',' or '}' after property "${key}", found ${this.describe()}`);
    }
  }

  array(depth: number): JsonNode {
    const start = this.i;
    this.i += 1;
    const items: JsonNode[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i += 1;
      return { kind: 'array', start, items };
    }
    let comma = -1;
    for (;;) {
      this.ws();
      if (this.s[this.i] === ']' && comma !== -1) throw new JsonSyntaxError(comma, "a trailing comma is not allowed in JSON; remove this ','");
      items.push(this.value(depth + 1));
      const afterValue = this.i;
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        comma = this.i;
        this.i += 1;
        continue;
      }
      if (c === ']') {
        this.i += 1;
        return { kind: 'array', start, items };
      }
      if (c === '{' || c === '"' || c === '[') throw new JsonSyntaxError(afterValue, "expected ',' or ']' after a list element: missing comma before the next element");
      if (c === undefined) throw new JsonSyntaxError(this.i, "unexpected end of text: the list is not closed; add ']'");
      const hint = c === '}' ? ' (a list is closed with ], an object with })' : '';
      throw new JsonSyntaxError(this.i, `expected ',' or ']' after a list element, found ${this.describe()}${hint}`);
    }
  }

  string(): string {
    const start = this.i;
    this.i += 1;
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) throw new JsonSyntaxError(start, 'unterminated string: add the closing \'"\'');
      const c = this.s[this.i] as string;
      const code = c.charCodeAt(0);
      if (c === '"') {
        this.i += 1;
        return out;
      }
      if (code === 0x0a || code === 0x0d) throw new JsonSyntaxError(this.i, `a JSON string runs into a line break (control characters are not allowed in strings); is the closing '"' missing?`);
      if (code < 0x20) throw new JsonSyntaxError(this.i, 'a control character inside a JSON string; write it as an escape such as \\t');
      if (c !== '\\') {
        out += c;
        this.i += 1;
        continue;
      }
      const e = this.s[this.i + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && simple[e] !== undefined) {
        out += simple[e];
        this.i += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.s.slice(this.i + 2, this.i + 6))) {
        out += String.fromCharCode(parseInt(this.s.slice(this.i + 2, this.i + 6), 16));
        this.i += 6;
      } else {
        throw new JsonSyntaxError(this.i, `invalid escape sequence ${JSON.stringify(this.s.slice(this.i, this.i + 2))} in a JSON string; write \\\\ for a backslash`);
      }
    }
  }

  number(): number {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (m === null || m[0] === '-') throw new JsonSyntaxError(this.i, 'invalid number');
    this.i += m[0].length;
    return Number(m[0]);
  }
}

/** Converts a parsed JSON node to plain data, keeping key order (the last of duplicate keys wins, as in JSON.parse). */
export function jsonToValue(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const e of node.entries) Object.defineProperty(out, e.key, { value: jsonToValue(e.value), enumerable: true, writable: true, configurable: true });
      return out;
    }
    case 'array':
      return node.items.map(jsonToValue);
    case 'null':
      return null;
    default:
      return node.value;
  }
}

/**
 * Terraform's template grammar, as HCL's JSON syntax reads every string of a `.tf.json`
 * (hclsyntax.ParseTemplate): `$${` and `%%{` are the escapes of `${` and `%{`; `${ expr }`
 * interpolates; `%{ … }` is a directive; everything else, backslashes included, is
 * literal. Only the interpolations kops-iam writes are evaluated: quoted string literals
 * (`${"$"}`) and references, which `resolve` gives values; anything else is an error, so
 * the evaluator is stricter than Terraform, never more lenient. A test cross-checks it
 * against `terraform console` (terraform-templatestring.ts).
 */

/** A template Terraform would reject, or one using more than string literals and known references. */
export class TemplateError extends Error {}

/** One piece of a template: literal text, or an interpolation with its expression. */
export type TemplatePart =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string; readonly source: string }
  | { readonly kind: 'reference'; readonly traversal: string };

/** A reference as HCL writes one: identifiers (letters, digits, `_`, `-`) joined by dots. */
const TRAVERSAL = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)+$/;

/**
 * What Go makes of a JavaScript string read from JSON: a lone surrogate (`\ud800`, valid
 * JSON, not valid UTF-8) becomes U+FFFD, as encoding/json decodes it.
 */
export function asGoString(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Splits a template into literal text and interpolations, left to right as HCL's scanner does. */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const two = text.slice(i, i + 2);
    const three = text.slice(i, i + 3);
    if (three === '$${' || three === '%%{') {
      literal += three.slice(1);
      i += 3;
    } else if (two === '%{') {
      throw new TemplateError(`a template directive %{ at offset ${i}`);
    } else if (two === '${') {
      if (literal !== '') parts.push({ kind: 'literal', text: literal });
      literal = '';
      const { part, end } = interpolation(text, i + 2);
      parts.push(part);
      i = end;
    } else {
      literal += text[i];
      i += 1;
    }
  }
  if (literal !== '') parts.push({ kind: 'literal', text: literal });
  return parts;
}

/** The interpolation starting after `${` at `start`: a quoted string literal or a traversal, then `}`. */
function interpolation(text: string, start: number): { part: TemplatePart; end: number } {
  let i = skipSpaces(text, start);
  let part: TemplatePart;
  if (text[i] === '"') {
    const s = quotedString(text, i);
    part = { kind: 'string', text: s.value, source: text.slice(i, s.end) };
    i = s.end;
  } else {
    const m = /^[^\s}]*/.exec(text.slice(i))?.[0] ?? '';
    if (!TRAVERSAL.test(m)) throw new TemplateError(`an interpolation that is neither a string literal nor a reference at offset ${start}`);
    part = { kind: 'reference', traversal: m };
    i += m.length;
  }
  i = skipSpaces(text, i);
  if (text[i] !== '}') throw new TemplateError(`an interpolation not closed by } at offset ${i}`);
  return { part, end: i + 1 };
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && /[ \t\r\n]/.test(text[i] as string)) i += 1;
  return i;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** An HCL quoted string literal at `start` (the opening quote): its value and the offset after the closing quote. */
function quotedString(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') return { value, end: i + 1 };
    if (c === '\n' || c === '\r') throw new TemplateError('a line break in a quoted string');
    const three = text.slice(i, i + 3);
    if (three === '$${' || three === '%%{') {
      value += three.slice(1);
      i += 3;
    } else if (three.startsWith('${') || three.startsWith('%{')) {
      throw new TemplateError('a template inside a quoted string of an interpolation');
    } else if (c === '\\') {
      const e = escapeAt(text, i);
      value += e.value;
      i = e.end;
    } else {
      value += c;
      i += 1;
    }
  }
  throw new TemplateError('a quoted string of an interpolation never closed');
}

function escapeAt(text: string, i: number): { value: string; end: number } {
  const k = text[i + 1] ?? '';
  const simple = SIMPLE_ESCAPES[k];
  if (simple !== undefined) return { value: simple, end: i + 2 };
  const digits = k === 'u' ? 4 : k === 'U' ? 8 : 0;
  const hex = text.slice(i + 2, i + 2 + digits);
  if (digits === 0 || !new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) throw new TemplateError(`an invalid escape \\${k}`);
  return { value: String.fromCodePoint(parseInt(hex, 16)), end: i + 2 + digits };
}

/** The value of a template: literal text as is, string literals' values, references through `resolve`. */
export function evaluateTemplate(text: string, resolve: (traversal: string) => string | undefined): string {
  return parseTemplate(text)
    .map((p) => {
      if (p.kind !== 'reference') return p.text;
      const v = resolve(p.traversal);
      if (v === undefined) throw new TemplateError(`an unknown reference \${${p.traversal}}`);
      return v;
    })
    .join('');
}

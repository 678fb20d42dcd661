import type { Ref } from '@kops-iam/core';

/**
 * Terraform reads every string in its JSON as a template: `${…}` interpolates and `%{…}`
 * runs a directive. kops-iam's strings are literal text (IAM policy variables such as
 * `${aws:username}` must reach AWS as written) with references spliced in. No sentinel
 * text stands for a reference, so nothing a manifest holds can become one.
 *
 * A template is written as segments, literal text and interpolations, so that escaping
 * can look at what follows each piece of text:
 * - in literal text, `${` → `$${` and `%{` → `%%{`, Terraform's own escapes;
 * - Terraform reads a `$` right before `${` as the start of the `$${` escape, so every `$`
 *   of literal text that ends right before an interpolation is written `${"$"}`;
 * - cdktf scans strings for its own token markers (`${TfToken[`, `#{TfToken[`, `&{TfToken[`)
 *   and would replace them: their `$` or `{` becomes the interpolation `${"$"}` / `${"{"}`,
 *   which yields the same text and which no scanner takes for a marker.
 * The property test in test-fixtures/test/escaping.test.ts checks this against Terraform.
 */
export function terraformTemplate(parts: readonly (string | Ref)[], spell: (ref: Ref) => string): string {
  return render(merged(parts.flatMap((part) => (typeof part === 'string' ? literalSegments(part) : [{ interpolation: spell(part) }]))));
}

/** Literal text written for a Terraform template (see terraformTemplate). */
export function escapeLiteral(text: string): string {
  if (!text.includes('{')) return text;
  return render(merged(literalSegments(text)));
}

/** Adjacent literal text as one segment: a run of `$` before an interpolation may span several parts. */
function merged(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if ('literal' in s && last !== undefined && 'literal' in last) out[out.length - 1] = { literal: last.literal + s.literal };
    else if (!('literal' in s) || s.literal !== '') out.push(s);
  }
  return out;
}

type Segment = { readonly literal: string } | { readonly interpolation: string };

const TOKEN_MARKER = /[$#&]\{TfToken\[/g;

/** A literal text as segments: the text, with cdktf's token markers broken by interpolations. */
function literalSegments(text: string): Segment[] {
  const out: Segment[] = [];
  let from = 0;
  for (const m of text.matchAll(TOKEN_MARKER)) {
    const at = m.index;
    if (text[at] === '$') out.push({ literal: text.slice(from, at) }, { interpolation: '${"$"}' });
    else out.push({ literal: text.slice(from, at + 1) }, { interpolation: '${"{"}' });
    from = text[at] === '$' ? at + 1 : at + 2;
  }
  out.push({ literal: text.slice(from) });
  return out;
}

/** Writes segments: literal text escaped, and the `$`s right before an interpolation as interpolations of `$`. */
function render(segments: readonly Segment[]): string {
  let out = '';
  segments.forEach((s, i) => {
    if ('interpolation' in s) {
      out += s.interpolation;
      return;
    }
    const next = segments[i + 1];
    const trailing = next !== undefined && 'interpolation' in next ? (/\$+$/.exec(s.literal)?.[0].length ?? 0) : 0;
    out += escapeText(s.literal.slice(0, s.literal.length - trailing)) + '${"$"}'.repeat(trailing);
  });
  return out;
}

function escapeText(text: string): string {
  return text.replace(/([$%])\{/g, '$1$1{');
}

import type { Ref } from '@kops-iam/core';

/**
 * Terraform reads every string in its JSON as a template: `${…}` interpolates and `%{…}`
 * runs a directive. kops-iam's strings are literal text (IAM policy variables such as
 * `${aws:username}` must reach AWS as written) with references spliced in. No sentinel
 * text stands for a reference, so nothing a manifest holds can become one.
 *
 * The literal text is escaped so that Terraform yields it unchanged:
 * - `${` → `$${` and `%{` → `%%{`, Terraform's own escapes;
 * - a `$` right before a reference → `${"$"}`: written as is, `$${ref}` would read as an
 *   escaped, literal `${ref}`;
 * - cdktf scans strings for its own token markers (`${TfToken[`, `#{TfToken[`, `&{TfToken[`)
 *   and would replace them: their `{` is written `${"{"}`, which no scanner takes for a marker.
 */
export function terraformTemplate(parts: readonly (string | Ref)[], spell: (ref: Ref) => string): string {
  let out = '';
  parts.forEach((part, i) => {
    if (typeof part !== 'string') {
      out += spell(part);
      return;
    }
    const beforeRef = i + 1 < parts.length && typeof parts[i + 1] !== 'string';
    out += escapeLiteral(part, beforeRef);
  });
  return out;
}

const TOKEN_MARKER = /^[$#&]\{TfToken\[/;

/** Literal text escaped for a Terraform template (see terraformTemplate), in one left-to-right pass. */
export function escapeLiteral(text: string, beforeRef = false): string {
  if (!text.includes('{') && !(beforeRef && text.endsWith('$'))) return text;
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (next === '{' && TOKEN_MARKER.test(text.slice(i, i + 10))) {
      // `${"$"}{TfToken[` / `#${"{"}TfToken[`: the same text for Terraform, no marker for cdktf.
      out += c === '$' ? '${"$"}{' : `${c}\${"{"}`;
      i += 1;
    } else if ((c === '$' || c === '%') && next === '{') {
      out += `${c}${c}{`;
      i += 1;
    } else if (c === '$' && beforeRef && i === text.length - 1) {
      out += '${"$"}';
    } else out += c;
  }
  return out;
}

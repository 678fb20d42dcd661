import { chance, int, pick, type Random } from './prng';

/**
 * Text that means something to Terraform's template grammar, to cdktf's token scanner,
 * to kops-iam's former sentinel, to JSON, YAML, IAM or a terminal. Every string of a
 * manifest must reach Terraform as written, whatever it holds.
 */
export const TEMPLATE_ATOMS = [
  '${',
  '%{',
  '$${',
  '%%{',
  '$$',
  '$',
  '%',
  '%%',
  '}',
  '{',
  '~}',
  '${~',
  '${TfToken[TOKEN.1]}',
  '#{TfToken[TOKEN.1]}',
  '&{TfToken[TOKEN.1]}',
  '${TfToken[TOKEN.0]}',
  '$${TfToken[TOKEN.1]}',
  '@@kops-iam-ref-0@@',
  '@@kops-iam-ref-1@@',
  '${file("/etc/passwd")}',
  '${path.cwd}',
  '%{ if true }x%{ endif }',
  '${var.hosted_zone_id}',
  '${data.aws_caller_identity.current.account_id}',
  '${"$"}',
  '${"{"}',
  '${aws:username}',
  '${aws:PrincipalTag/team}',
] as const;

/** Quotes, escapes, control characters and non-ASCII text. */
export const TEXT_ATOMS = [
  '"',
  "'",
  '\\',
  '\\"',
  '\\n',
  '\\u0041',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u2028',
  '\ufeff',
  '\ud800',
  'é',
  'Ω',
  '日本',
  '😀',
  ' ',
  '#',
  ': ',
  '*',
  '?',
  '/',
  ',',
  '=',
  '@',
] as const;

/** Every hostile atom. */
export const HOSTILE_ATOMS: readonly string[] = [...TEMPLATE_ATOMS, ...TEXT_ATOMS];

/** Atoms that are printable ASCII without space: what IAM paths allow. */
export const PRINTABLE_ATOMS: readonly string[] = HOSTILE_ATOMS.filter((a) => /^[\x21-\x7e]+$/.test(a));

const WORD = 'abcdefghijklmnopqrstuvwxyz0123456789-._';

/** A random character: mostly printable ASCII, sometimes anything of the BMP or beyond. */
function randomChar(r: Random, asciiOnly: boolean): string {
  if (asciiOnly || chance(r, 0.7)) return String.fromCharCode(0x21 + int(r, 0x5e));
  return chance(r, 0.8) ? String.fromCharCode(int(r, 0xd800)) : String.fromCodePoint(0x10000 + int(r, 0x1000));
}

/** A random hostile string of one to `maxParts` pieces (atoms, characters, short words). */
export function hostileString(r: Random, maxParts = 6): string {
  return pieces(r, maxParts, HOSTILE_ATOMS, false);
}

/** A random string of printable ASCII (no space) with template syntax in it: what an IAM path may hold. */
export function hostilePrintable(r: Random, maxParts = 6): string {
  return pieces(r, maxParts, PRINTABLE_ATOMS, true);
}

function pieces(r: Random, maxParts: number, atoms: readonly string[], asciiOnly: boolean): string {
  let out = '';
  for (let n = 1 + int(r, maxParts); n > 0; n -= 1) {
    const k = r();
    if (k < 0.65) out += pick(r, atoms);
    else if (k < 0.85) out += randomChar(r, asciiOnly);
    else out += Array.from({ length: 1 + int(r, 6) }, () => WORD[int(r, WORD.length)]).join('');
  }
  return out;
}

/** True when a string holds something Terraform's template grammar or cdktf's scanner reacts to. */
export function hasTemplateSyntax(s: string): boolean {
  return /[$%]\{|[#&]\{TfToken\[|@@kops-iam-ref/.test(s);
}

/**
 * A YAML double-quoted scalar holding exactly `s`: every character outside printable ASCII
 * escaped, so the YAML stays valid whatever `s` holds (lone surrogates included).
 */
export function yamlQuoted(s: string): string {
  return `"${asciiEscaped(s)}"`;
}

/** A JSON string literal holding exactly `s`, in printable ASCII. */
export function jsonQuoted(s: string): string {
  return `"${asciiEscaped(s)}"`;
}

/** `\\`, `\"` and `\uXXXX` escapes for everything outside printable ASCII: valid in JSON and YAML double quotes. */
function asciiEscaped(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c < 0x7f) out += s[i];
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out;
}

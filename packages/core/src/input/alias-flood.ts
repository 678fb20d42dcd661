import { Lexer } from 'yaml';

/**
 * The most aliases one document may hold. kops manifests use a handful; the yaml package
 * builds a node for every alias and composes whole documents at once, so a file of millions
 * of them exhausts memory before any expansion limit can be checked.
 */
export const MAX_ALIASES_PER_DOCUMENT = 10_000;

/** Text that may be an alias: `*` after a blank or a flow indicator. Only a first, cheap filter. */
const ALIAS_LIKE = /(?:^|[\s,[{])\*[^\s,\]}]/g;

/**
 * Where a file starts holding more aliases in one document than MAX_ALIASES_PER_DOCUMENT,
 * found before parsing: first by counting what looks like an alias, then, when that count
 * is high, with the yaml package's own lexer, stopping as soon as the limit is passed.
 * Undefined for every ordinary file.
 */
export function aliasFlood(text: string): number | undefined {
  const looks = text.match(ALIAS_LIKE)?.length ?? 0;
  if (looks <= MAX_ALIASES_PER_DOCUMENT) return undefined;
  let inDocument = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '---' || token === '...') inDocument = 0;
    else if (token.startsWith('*')) inDocument += 1;
    if (inDocument > MAX_ALIASES_PER_DOCUMENT) return Math.max(0, text.search(ALIAS_LIKE));
  }
  return undefined;
}

/**
 * A first pass that tells, from the prompt's words alone, which patterns can match at all, so the
 * analyser runs the full regular expression of an intent only when one of its words is present
 * (most prompts name two or three intents at most). Each pattern fragment is keyed by the first
 * letters (up to three) of the literal word it must start with; fragments that may start with
 * anything are run always.
 */
export class Triggers {
  /** Keyed by the first one, two or three letters of a word, as numbers (no string is cut per word). */
  readonly #byPrefix = new Map<number, number>();
  #always = 0;

  /** Registers the fragments of one list under a bit (one bit per intent and list). */
  add(bit: number, fragments: readonly string[] | undefined): void {
    for (const fragment of fragments ?? []) {
      const literals = leadingLiterals(fragment);
      if (literals === null) {
        this.#always |= bit;
        continue;
      }
      for (const literal of literals) {
        const key = prefixKey(literal, Math.min(3, literal.length));
        this.#byPrefix.set(key, (this.#byPrefix.get(key) ?? 0) | bit);
      }
    }
  }

  /** The bits of every list one of whose fragments may match these words. */
  candidates(words: readonly string[]): number {
    let bits = this.#always;
    for (const word of words) {
      const length = Math.min(3, word.length);
      let key = 0;
      for (let size = 1; size <= length; size++) {
        key = key * 128 + word.charCodeAt(size - 1) + size * 0x200000;
        const found = this.#byPrefix.get(key);
        if (found !== undefined) bits |= found;
        key -= size * 0x200000;
      }
    }
    return bits;
  }
}

/** The number standing for the first `size` characters of a word (the size is part of it, so "a" and "a\0" differ). */
function prefixKey(word: string, size: number): number {
  let key = 0;
  for (let index = 0; index < size; index++) key = key * 128 + word.charCodeAt(index);
  return key + size * 0x200000;
}

const literalCharacter = /[a-z0-9]/;

/**
 * The literal words a fragment can start with ("danc(?:e|es)" → ["danc"], "(?:two|three) people"
 * → ["two", "three"]), or null when it may start with anything.
 */
export function leadingLiterals(fragment: string): string[] | null {
  if (fragment.startsWith('(?:')) {
    const close = closingParenthesis(fragment, 0);
    if (close < 0) return null;
    const quantifier = fragment[close + 1];
    if (quantifier === '?' || quantifier === '*' || quantifier === '{') return null;
    const alternatives = splitAlternatives(fragment.slice(3, close));
    const literals: string[] = [];
    for (const alternative of alternatives) {
      if (alternative === '') return null;
      const inner = leadingLiterals(alternative);
      if (inner === null) return null;
      literals.push(...inner);
    }
    return literals;
  }
  if (fragment.startsWith('\\d')) return ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  let literal = '';
  for (let index = 0; index < fragment.length; index++) {
    const character = fragment[index]!;
    if (!literalCharacter.test(character)) {
      // "products?" may end before its last letter.
      if (character === '?' || character === '*' || character === '{') literal = literal.slice(0, -1);
      break;
    }
    literal += character;
  }
  return literal === '' ? null : [literal];
}

function closingParenthesis(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    const character = text[index];
    if (character === '\\') {
      index++;
      continue;
    }
    if (character === '(') depth++;
    else if (character === ')' && --depth === 0) return index;
  }
  return -1;
}

function splitAlternatives(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < body.length; index++) {
    const character = body[index];
    if (character === '\\') {
      index++;
      continue;
    }
    if (character === '(') depth++;
    else if (character === ')') depth--;
    else if (character === '|' && depth === 0) {
      parts.push(body.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

/**
 * Whether words are negated ("no text", "without music", "không có chữ"): a need or a length read
 * right after a negation is not one the request has. Shared by the intent scan and the length reader.
 */
import { negationsFolded } from './lexicon';
import { spellPattern } from './prompt';

const negationFolded = new RegExp(`(?:^|[^\\w'])(?:${negationsFolded.join('|')})(?: [\\w']+){0,2} ?$`);
export const negationSpelled = new RegExp(
  `(?:^|[^\\w'])(?:${['no', 'not', 'without', 'không', 'chẳng', 'chả', 'đừng', 'tránh', 'chưa', 'không cần', 'ko'].map(spellPattern).join('|')})(?: [\\w']+){0,2} ?$`,
);

export function negated(folded: string, start: number): boolean {
  if (start === 0) return false;
  return negationFolded.test(folded.slice(Math.max(0, start - 24), start));
}

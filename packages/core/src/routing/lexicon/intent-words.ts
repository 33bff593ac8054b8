/**
 * The words that show each intent, as regular-expression fragments (the analyser adds word
 * boundaries and compiles each list once).
 *
 * - `en`: English, matched against the prompt lower-cased and stripped of accents, so it also
 *   catches English words inside a Vietnamese prompt ("camera", "anime", "4k").
 * - `vi`: Vietnamese written with its accents, matched against the prompt as written (lower-cased).
 *   Used when the prompt carries Vietnamese accents; then an accentless word is a different word
 *   ("mua" is to buy, "múa" to dance), so the accentless list is not used.
 * - `viPlain`: Vietnamese typed without accents, matched against the accentless prompt, used when
 *   the prompt reads as Vietnamese but carries no accents. Ambiguous syllables appear only inside
 *   phrases that settle them ("dieu nhay", never "mua" alone).
 */
export interface IntentWords {
  en: readonly string[];
  vi: readonly string[];
  viPlain: readonly string[];
  /** Phrases that rule the intent out even when other words show it ("static camera", "no text"). */
  vetoEn?: readonly string[];
  vetoVi?: readonly string[];
  vetoViPlain?: readonly string[];
}

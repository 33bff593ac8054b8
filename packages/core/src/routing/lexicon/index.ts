import type { Intent } from '../needs';
import { clipAndSize } from './clip-and-size';
import { editingAndSound } from './editing-and-sound';
import { looks } from './looks';
import { peopleAndMotion } from './people-and-motion';
import { subjects } from './subjects';
import type { IntentWords } from './intent-words';

export type { IntentWords } from './intent-words';

/**
 * The words that show each intent, kept by group of intents, one file each (what each list means: IntentWords).
 * The keys keep the order the analyser tries the intents in.
 */
export const lexicon: Readonly<Record<Intent, IntentWords>> = {
  dance: peopleAndMotion['dance'],
  'several-people': peopleAndMotion['several-people'],
  product: subjects['product'],
  'text-in-image': looks['text-in-image'],
  'talking-head': subjects['talking-head'],
  portrait: subjects['portrait'],
  'camera-motion': peopleAndMotion['camera-motion'],
  illustration: looks['illustration'],
  photorealism: looks['photorealism'],
  'long-clip': clipAndSize['long-clip'],
  'short-clip': clipAndSize['short-clip'],
  'high-resolution': clipAndSize['high-resolution'],
  sound: editingAndSound['sound'],
  'image-editing': editingAndSound['image-editing'],
  'expressive-voice': editingAndSound['expressive-voice'],
};

/** Words that, just before a match, say the opposite ("no dancing", "khong co chu"); matched without accents. */
export const negationsFolded = [
  'no',
  'not',
  'without',
  'never',
  'avoid',
  'avoiding',
  "don't",
  'dont',
  "doesn't",
  'doesnt',
  "isn't",
  'isnt',
  'free of',
  'minus',
  'nor',
  // Accentless Vietnamese: only words that mean nothing else ("dung" may be to use, "tranh" a painting).
  'khong',
  'ko',
  'chang',
  'khong can',
];

/** Language names, as read in English, Vietnamese with and without accents. */
export const languageNames: ReadonlyArray<readonly [string, string]> = [
  ['vietnamese', 'vi'],
  ['tieng viet', 'vi'],
  ['viet', 'vi'],
  ['english', 'en'],
  ['tieng anh', 'en'],
  ['french', 'fr'],
  ['tieng phap', 'fr'],
  ['spanish', 'es'],
  ['tieng tay ban nha', 'es'],
  ['german', 'de'],
  ['tieng duc', 'de'],
  ['japanese', 'ja'],
  ['tieng nhat', 'ja'],
  ['korean', 'ko'],
  ['tieng han', 'ko'],
  ['chinese', 'zh'],
  ['mandarin', 'zh'],
  ['cantonese', 'zh'],
  ['tieng trung', 'zh'],
  ['tieng hoa', 'zh'],
  ['thai', 'th'],
  ['tieng thai', 'th'],
  ['hindi', 'hi'],
  ['portuguese', 'pt'],
  ['italian', 'it'],
  ['russian', 'ru'],
  ['indonesian', 'id'],
  ['arabic', 'ar'],
];

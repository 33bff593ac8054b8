/**
 * A prompt prepared for reading: lower-cased, stripped of accents for English and accentless
 * Vietnamese, spelled in ASCII for Vietnamese as written, cut into words, and its language guessed.
 * Done once per request; every pattern of the analyser then runs on plain ASCII text.
 */
export interface Prompt {
  /** As written, NFC, for quoting evidence. */
  original: string;
  /** NFC, lower-cased, `-` and `_` as spaces. */
  lower: string;
  /** `lower` without accents (đ as d), character for character, so indexes are shared. */
  folded: string;
  /** Vietnamese spelled in ASCII (see `spell`), only when the prompt carries Vietnamese letters. */
  spelled: string;
  /** Index in `lower` of each character of `spelled`. */
  origin: number[];
  /** The words of `folded` (and of `spelled`, when there is one). */
  words: string[];
  spelledWords: string[];
  vietnameseLetters: number;
  /** ISO 639-1, or undefined when nothing says. */
  language: string | undefined;
}

/**
 * Vietnamese as written is matched in an ASCII spelling that keeps its accents apart: each
 * accented letter becomes its base letter followed by digits for its marks (ă 8, â ê ô 6, ơ ư 7,
 * đ d9; tones: sắc 1, huyền 2, hỏi 3, ngã 4, nặng 5), so "múa" is "mu1a" and never "mua". Patterns
 * then run without the Unicode flag and with plain word boundaries, several times faster.
 */
const markDigits: Readonly<Record<string, string>> = {
  '\u0306': '8',
  '\u0302': '6',
  '\u031b': '7',
  '\u0301': '1',
  '\u0300': '2',
  '\u0309': '3',
  '\u0303': '4',
  '\u0323': '5',
};
const vietnameseSpelling = new Map<string, string>([['đ', 'd9']]);
for (const base of 'aeiouy') {
  for (const shape of ['', '\u0306', '\u0302', '\u031b']) {
    for (const tone of ['', '\u0301', '\u0300', '\u0309', '\u0303', '\u0323']) {
      if (shape === '' && tone === '') continue;
      const letter = (base + shape + tone).normalize('NFC');
      if (letter.length !== 1) continue;
      vietnameseSpelling.set(letter, base + (markDigits[shape] ?? '') + (markDigits[tone] ?? ''));
    }
  }
}

/** A pattern fragment written in Vietnamese, in the same ASCII spelling. */
export function spellPattern(fragment: string): string {
  let spelled = '';
  for (const character of fragment.normalize('NFC')) spelled += vietnameseSpelling.get(character) ?? character;
  return spelled;
}

function spell(lower: string): { spelled: string; origin: number[] } {
  let spelled = '';
  const origin: number[] = [];
  for (let index = 0; index < lower.length; index++) {
    const character = lower[index]!;
    const spelling = character.charCodeAt(0) < 0x80 ? undefined : vietnameseSpelling.get(character);
    if (spelling === undefined) {
      spelled += character;
      origin.push(index);
    } else {
      spelled += spelling;
      for (let count = 0; count < spelling.length; count++) origin.push(index);
    }
  }
  return { spelled, origin };
}

const foldedLetters = new Map<string, string>([['đ', 'd']]);
const marks = /\p{M}/gu;
function fold(lower: string): string {
  let folded = '';
  for (let index = 0; index < lower.length; index++) {
    const character = lower[index]!;
    if (character.charCodeAt(0) < 0x80) {
      folded += character;
      continue;
    }
    let base = foldedLetters.get(character);
    if (base === undefined) {
      const stripped = character.normalize('NFD').replace(marks, '');
      base = stripped.length === 1 ? stripped : character;
      if (foldedLetters.size < 4096) foldedLetters.set(character, base);
    }
    folded += base;
  }
  return folded;
}

/** Letters only Vietnamese uses: ă â đ ê ô ơ ư and the Latin Extended Additional block of its tones. */
const vietnameseLetters = /[ăâđêôơư\u1ea0-\u1ef9]/g;
// eslint-disable-next-line no-control-regex -- the range of ASCII starts at NUL on purpose
const nonAscii = /[^\x00-\x7f]/;
const separators = /[-_]/g;
/** `-` and `_` as spaces ("lip-sync", "hip_hop"), the same length. */
function spaced(lower: string): string {
  return lower.includes('-') || lower.includes('_') ? lower.replace(separators, ' ') : lower;
}

export function readPrompt(text: string): Prompt {
  if (!nonAscii.test(text)) {
    const lower = spaced(text.toLowerCase());
    const words = wordsOf(lower);
    return { original: text, lower, folded: lower, spelled: '', origin: [], words, spelledWords: [], vietnameseLetters: 0, language: latinLanguage(words, 0) };
  }
  const original = text.normalize('NFC');
  const lower = spaced(original.toLowerCase());
  const folded = fold(lower);
  const words = wordsOf(folded);
  const vietnamese = lower.match(vietnameseLetters)?.length ?? 0;
  if (vietnamese === 0)
    return {
      original,
      lower,
      folded,
      spelled: '',
      origin: [],
      words,
      spelledWords: [],
      vietnameseLetters: 0,
      language: scriptLanguage(original) ?? latinLanguage(words, 0),
    };
  const { spelled, origin } = spell(lower);
  return {
    original,
    lower,
    folded,
    spelled,
    origin,
    words,
    spelledWords: wordsOf(spelled),
    vietnameseLetters: vietnamese,
    language: scriptLanguage(original) ?? latinLanguage(words, vietnamese),
  };
}

/** Runs of ASCII letters and digits: the words patterns are keyed by. */
export function wordsOf(text: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let index = 0; index <= text.length; index++) {
    const code = index < text.length ? text.charCodeAt(index) : 32;
    const inWord = (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
    if (inWord) {
      if (start < 0) start = index;
    } else if (start >= 0) {
      words.push(text.slice(start, index));
      start = -1;
    }
  }
  return words;
}

function scriptLanguage(text: string): string | undefined {
  if (/[\u3040-\u30ff]/.test(text)) return 'ja';
  if (/[\uac00-\ud7af]/.test(text)) return 'ko';
  if (/[\u4e00-\u9fff]/.test(text)) return 'zh';
  if (/[\u0e00-\u0e7f]/.test(text)) return 'th';
  if (/[\u0400-\u04ff]/.test(text)) return 'ru';
  if (/[\u0600-\u06ff]/.test(text)) return 'ar';
  if (/[\u0900-\u097f]/.test(text)) return 'hi';
  return undefined;
}

// Small word lists that tell languages written in Latin letters apart. Vietnamese syllables here
// are ones that are not also common English words, so "ban" or "can" count for neither.
const english = 1;
const vietnamese = 2;
const spanish = 4;
const french = 8;
const german = 16;
const languageWords = new Map<string, number>();
function mark(words: string, language: number): void {
  for (const word of words.split(' ')) languageWords.set(word, (languageWords.get(word) ?? 0) | language);
}
mark(
  'the a an of and with in on at to for is are from by his her their its this that into over under while as be it he she they them who which what when where my your our very some',
  english,
);
mark(
  'va cua mot nhung cac trong voi cho la co khong duoc nguoi nay dang tren duoi nhu theo mau anh hinh ve lam canh ngay dem rat dep thanh gai trai cay nha hoa bien troi nui chiec cai ngoi xinh toi minh chung ta giup nhe nen cung ' +
    'anh ao bac bai banh bao ben benh bien binh bong buoi cach cam canh cao chan chanh chao chau chet chia chien chinh choi chon chua chuc chung chuoi chuong chuyen cong cuoc cuoi cuon dai danh dao dau deu dia dien dieu dinh doan doc doi dong duc duoc duong gai giai gian giao giay gio gioi giong giu giup goc gui hai hang hanh hoang hoat hoc hoi hom hong huong khac khach khai khoa khoang khoe khu khuon kia kich kiem kien kieu kinh lanh lau lich lien linh loai loi luc luon luong luot mang manh moi mon muc muon muoi mung nao nay nen neu ngan ngang ngay nghe nghi nghiep ngoai ngoc ngon ngua nguoi nguon nhac nhan nhanh nhat nhau nhay nhieu nhin nhom nhung nien noi nong nua nuoc phai pham phat phia phim phong phuc phut quan quang quanh rat rieng rong sach sau sen sinh soi suoi tai tam tang tay tet thang thanh thao thay them theo thich thien thiet thieu thoi thuc thuong thuy tien tieng tim tinh toan toc toi trai tran trang tranh tren troi tron truoc truong tuan tuoi tuong tuyet uong vang vao viec viet vien vinh vong vua vui vuon xanh xem xin xinh xoay xuan xuong yeu mua giay gia re vu le ba',
  vietnamese,
);
mark('el la los las de y con en un una por para que del', spanish);
mark('le la les de et avec dans un une des pour sur du au', french);
mark('der die das und mit ein eine im auf fur von zu den dem', german);

function latinLanguage(words: readonly string[], vietnameseLetterCount: number): string | undefined {
  let englishCount = 0;
  let vietnameseCount = 0;
  let spanishCount = 0;
  let frenchCount = 0;
  let germanCount = 0;
  for (const word of words) {
    const bits = languageWords.get(word);
    if (bits === undefined) continue;
    if (bits & english) englishCount++;
    if (bits & vietnamese) vietnameseCount++;
    if (bits & spanish) spanishCount++;
    if (bits & french) frenchCount++;
    if (bits & german) germanCount++;
  }
  if (vietnameseLetterCount >= 3 || (vietnameseLetterCount > 0 && vietnameseLetterCount * 2 + vietnameseCount > englishCount)) return 'vi';
  if (vietnameseCount >= 2 && vietnameseCount > 2 * englishCount) return 'vi';
  const best = Math.max(englishCount, spanishCount, frenchCount, germanCount);
  if (best === 0) return words.length > 0 ? 'en' : undefined;
  if (englishCount === best) return 'en';
  if (spanishCount === best) return 'es';
  return frenchCount === best ? 'fr' : 'de';
}

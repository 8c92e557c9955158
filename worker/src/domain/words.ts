/**
 * Finding listed words and phrases in text, the way people expect of a word list: ignoring case, whole words in
 * scripts written with spaces ("ass" does not match "class"), substrings in scripts without (Khmer, Thai, Chinese).
 */

/** Latin, Cyrillic, Greek... are written with spaces between words; Khmer, Thai, Chinese... are not. */
const SPACED_SCRIPTS = /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}\s'’-]+$/u;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A test for one word or phrase, built once. */
function wordTest(word: string): (haystack: string) => boolean {
  const needle = word.toLowerCase();
  if (needle === '') return () => false;
  if (!SPACED_SCRIPTS.test(needle)) return (haystack) => haystack.includes(needle);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(needle)}(?![\\p{L}\\p{N}])`, 'u');
  return (haystack) => pattern.test(haystack);
}

/** The listed words or phrases that occur in `text`. */
export function wordsFound(text: string, words: readonly string[]): string[] {
  const haystack = text.toLowerCase();
  return words.filter((word) => wordTest(word)(haystack));
}

/** Runs of letters and digits (with their combining marks): the words of a text written with spaces. */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** Lowercased and composed, so "Nhà" typed with a combining accent reads as the listed "nhà". */
function normal(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

function wordsOf(text: string): string[] {
  return normal(text).match(WORD) ?? [];
}

/**
 * `wordsFound` for a fixed list consulted on every comment, without a pattern per entry (hundreds of Unicode
 * patterns cost tens of milliseconds to compile, more than a Worker's CPU budget): the text is split into words
 * once and each run of up to four words looked up, so "Online-Casino" finds "online casino". Entries in scripts
 * without spaces are found as substrings. Returns the entries found, in list order.
 */
export function wordFinder(entries: readonly string[]): (text: string) => string[] {
  const spaced = new Map<string, string>();
  const unspaced: [string, string][] = [];
  let longest = 1;
  for (const entry of entries) {
    if (SPACED_SCRIPTS.test(entry)) {
      const words = wordsOf(entry);
      if (words.length === 0) continue;
      spaced.set(words.join(' '), entry);
      longest = Math.max(longest, words.length);
    } else {
      unspaced.push([normal(entry), entry]);
    }
  }
  const order = new Map(entries.map((entry, i) => [entry, i]));
  return (text) => {
    const found = new Set<string>();
    const words = wordsOf(text);
    for (let start = 0; start < words.length; start++) {
      let run = '';
      for (let length = 1; length <= longest && start + length <= words.length; length++) {
        run = length === 1 ? words[start]! : `${run} ${words[start + length - 1]!}`;
        const entry = spaced.get(run);
        if (entry !== undefined) found.add(entry);
      }
    }
    const haystack = normal(text);
    for (const [needle, entry] of unspaced) if (haystack.includes(needle)) found.add(entry);
    return [...found].sort((a, b) => order.get(a)! - order.get(b)!);
  };
}

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

/** `wordsFound` for a fixed list, its patterns compiled once: for lists consulted on every comment. */
export function wordFinder(words: readonly string[]): (text: string) => string[] {
  const tests = words.map((word) => [word, wordTest(word)] as const);
  return (text) => {
    const haystack = text.toLowerCase();
    return tests.filter(([, test]) => test(haystack)).map(([word]) => word);
  };
}

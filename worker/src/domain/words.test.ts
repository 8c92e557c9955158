import { describe, expect, it } from 'vitest';
import { wordFinder, wordsFound } from './words.js';

describe('wordsFound', () => {
  it('matches whole words and phrases in spaced scripts, substrings in unspaced ones', () => {
    expect(wordsFound('A first-class answer', ['ass', 'class'])).toEqual(['class']);
    expect(wordsFound('Cheap Pills here', ['cheap pills'])).toEqual(['cheap pills']);
    expect(wordsFound('казино рядом', ['казино'])).toEqual(['казино']);
    expect(wordsFound('ខ្ញុំចូលចិត្តឆ្នោត', ['ឆ្នោត'])).toEqual(['ឆ្នោត']);
    expect(wordsFound('(a+b)', ['a+b'])).toEqual(['a+b']);
  });

  it('finds the same with a finder built once', () => {
    const find = wordFinder(['ass', 'class', 'ឆ្នោត']);
    expect(find('A first-class ឆ្នោត')).toEqual(['class', 'ឆ្នោត']);
    const phrases = wordFinder(['online casino', 'nhà cái', 'casino']);
    // Phrases across punctuation and case, accents however they were typed, in list order.
    expect(phrases('Best ONLINE-Casino here')).toEqual(['online casino', 'casino']);
    expect(phrases('Nha\u0300 ca\u0301i uy tín')).toEqual(['nhà cái']);
    expect(phrases('casinos and onlinecasino')).toEqual([]);
  });
});

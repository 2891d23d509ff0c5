/**
 * Stemming with Snowball, Danish or English chosen per mail by which stopword list the
 * mail's words hit more. Stems are not cached here: features.ts keeps each word's stem
 * on its entry in the word table, so a word is stemmed once per language.
 *
 * English is Snowball's English (Porter2) from `porter2`, Danish is Snowball's Danish from
 * `@nlpjs/lang-da`. Both give exactly the stems `snowball-stemmers` 0.6.0 gave on every
 * word of 20 Newsgroups and of the Danish fixtures, several times faster. Versions are
 * pinned: a later Snowball release changes some English stems (and so the model).
 */
import { createRequire } from 'node:module';
import { stem as stemEnglish } from 'porter2';

export type Language = 'da' | 'en';

/** The part of `@nlpjs/lang-da`'s Snowball-generated class we use; it ships no types. */
interface SnowballProgram {
  setCurrent(word: string): void;
  innerStem(): boolean;
  getCurrent(): string;
}

const { StemmerDa } = createRequire(import.meta.url)('@nlpjs/lang-da') as {
  StemmerDa: new () => SnowballProgram;
};

/**
 * Danish through the generated program itself: its `stemWord` would also keep every word
 * in a cache of its own that is never cleared.
 */
function danishStemmer(): (word: string) => string {
  const program = new StemmerDa();
  return (word) => {
    program.setCurrent(word);
    program.innerStem();
    return program.getCurrent();
  };
}

/** Snowball's stemmer for a language. */
export function stemmerFor(language: Language): (word: string) => string {
  return language === 'da' ? danishStemmer() : stemEnglish;
}

/**
 * The language of a mail whose first words hit `da` Danish and `en` English stopwords
 * (as written: the lists hold both spellings): Danish unless clearly more English.
 */
export function languageOfCounts(da: number, en: number): Language {
  return en > da * 1.5 ? 'en' : 'da';
}

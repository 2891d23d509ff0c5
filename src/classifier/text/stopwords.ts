/**
 * Stopwords: the Snowball project's Danish list plus a short English list. They carry
 * no routing signal and would otherwise crowd the hashed feature space. Stored both as
 * written and folded (see fold.ts).
 */
import { foldDanish } from './fold.js';

const DANISH = `og i jeg det at en den til er som på de med han af for ikke der var mig sig men et
har om vi min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal
selv her alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne end
dette mit også under have dig anden hende mine alt meget sit sine vor mod disse hvis din nogle
hos blive mange ad bliver hendes været thi jer sådan`;

const ENGLISH = `a an the and or but if of at by for with about against between into through during
before after above below to from up down in out on off over under again then once here there
when where why how all any both each few more most other some such no nor not only own same so
than too very s t can will just don should now i me my we our you your he him his she her it
its they them their what which who whom this that these those am is are was were be been being
have has had having do does did doing would could re ve ll d m`;

/** Each word as written and folded, so that either spelling is found without folding first. */
function words(list: string): Set<string> {
  return new Set(
    list
      .split(/\s+/)
      .filter(Boolean)
      .flatMap((w) => [w, foldDanish(w)]),
  );
}

export const DANISH_STOPWORDS: ReadonlySet<string> = words(DANISH);
export const ENGLISH_STOPWORDS: ReadonlySet<string> = words(ENGLISH);

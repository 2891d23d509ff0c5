import type { SaveOptions } from 'pdf-lib';

/**
 * How every per-document PDF is saved. Without object streams the bundle reads each
 * document without inflating its dictionaries first; that was most of the time spent
 * merging a 1,000-page case. The files grow by a few per cent.
 */
export const DOCUMENT_SAVE: SaveOptions = { useObjectStreams: false };

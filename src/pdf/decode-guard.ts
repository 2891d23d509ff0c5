import { createRequire } from 'node:module';

interface DecodeStreamPrototype {
  ensureBuffer(requested: number): Uint8Array;
  __postrobotLimit?: number;
}

/** Most bytes one compressed stream may inflate to while pdf-lib parses a file. */
export const MAX_DECODED_STREAM_BYTES = 256 * 1024 * 1024;

/**
 * pdf-lib 1.17.1 inflates object streams with a buffer that doubles without bound, so a
 * 1 MB "FlateDecode bomb" can take gigabytes (pdf-lib issue #1777, fixed upstream only
 * in an unreleased pull request). This puts the same bound in place: past the limit the
 * stream throws and the load fails like any damaged file. The patch is idempotent and
 * only ever lowers what a stream may allocate.
 */
export function guardPdfLibDecoding(maxBytes: number = MAX_DECODED_STREAM_BYTES): void {
  const require = createRequire(import.meta.url);
  const module = require('pdf-lib/cjs/core/streams/DecodeStream.js') as { default: { prototype: DecodeStreamPrototype } };
  const prototype = module.default.prototype;
  if (prototype.__postrobotLimit !== undefined) {
    prototype.__postrobotLimit = Math.min(prototype.__postrobotLimit, maxBytes);
    return;
  }
  const original = prototype.ensureBuffer;
  prototype.__postrobotLimit = maxBytes;
  prototype.ensureBuffer = function ensureBuffer(this: DecodeStreamPrototype, requested: number): Uint8Array {
    if (requested > (prototype.__postrobotLimit ?? maxBytes)) {
      throw new Error(`a compressed stream inflates past ${prototype.__postrobotLimit ?? maxBytes} bytes (decompression bomb)`);
    }
    return original.call(this, requested);
  };
}

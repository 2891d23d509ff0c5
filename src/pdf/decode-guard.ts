import { createRequire } from 'node:module';

interface DecodeStreamPrototype {
  ensureBuffer(requested: number): Uint8Array;
  __postrobotLimit?: number;
  __postrobotTrips?: number;
}

/** Most bytes one compressed stream may inflate to while pdf-lib parses a file. */
// Only object and cross-reference streams are inflated while loading (page content is
// copied still compressed), and those are a few MB even in very large files.
export const MAX_DECODED_STREAM_BYTES = 64 * 1024 * 1024;

function decodeStreamPrototype(): DecodeStreamPrototype {
  const require = createRequire(import.meta.url);
  const module = require('pdf-lib/cjs/core/streams/DecodeStream.js') as {
    default: { prototype: DecodeStreamPrototype };
  };
  return module.default.prototype;
}

/**
 * How often the limit has stopped a stream in this thread. pdf-lib catches the error and
 * carries on without the object, so a caller compares this before and after a load.
 */
export function decodeGuardTrips(): number {
  return decodeStreamPrototype().__postrobotTrips ?? 0;
}

/**
 * pdf-lib 1.17.1 inflates object streams with a buffer that doubles without bound, so a
 * 1 MB "FlateDecode bomb" can take gigabytes (pdf-lib issue #1777, fixed upstream only
 * in an unreleased pull request). This puts the same bound in place: past the limit the
 * stream throws and the load fails like any damaged file. The patch is idempotent and
 * only ever lowers what a stream may allocate.
 */
export function guardPdfLibDecoding(maxBytes: number = MAX_DECODED_STREAM_BYTES): void {
  const prototype = decodeStreamPrototype();
  if (prototype.__postrobotLimit !== undefined) {
    prototype.__postrobotLimit = Math.min(prototype.__postrobotLimit, maxBytes);
    return;
  }
  const original = prototype.ensureBuffer;
  prototype.__postrobotLimit = maxBytes;
  prototype.ensureBuffer = function ensureBuffer(
    this: DecodeStreamPrototype,
    requested: number,
  ): Uint8Array {
    if (requested > (prototype.__postrobotLimit ?? maxBytes)) {
      prototype.__postrobotTrips = (prototype.__postrobotTrips ?? 0) + 1;
      throw new Error(
        `a compressed stream inflates past ${prototype.__postrobotLimit ?? maxBytes} bytes (decompression bomb)`,
      );
    }
    return original.call(this, requested);
  };
}

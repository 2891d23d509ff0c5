import { createRequire } from 'node:module';

interface StreamPrototype {
  updateDict(): void;
  getContents(): Uint8Array;
  dict: { copyBytesInto(buffer: Uint8Array, offset: number): number };
  copyBytesInto(buffer: Uint8Array, offset: number): number;
  __postrobotFastCopy?: boolean;
}

interface RawStreamClass {
  of(dict: unknown, contents: Uint8Array): unknown;
  prototype: {
    dict: { clone(context?: unknown): unknown };
    contents: Uint8Array;
    clone(context?: unknown): unknown;
    __postrobotShared?: boolean;
  };
}

interface ByteStreamPrototype {
  bytes: Uint8Array;
  slice(start: number, end: number): Uint8Array;
  __postrobotShared?: boolean;
}

const STREAM = new TextEncoder().encode('\nstream\n');
const END_STREAM = new TextEncoder().encode('\nendstream');

/**
 * pdf-lib 1.17.1 copies every stream's bytes twice before it writes them: the parser
 * slices each one out of the file (ByteStream.slice), and copyPages clones it again
 * (PDFRawStream.clone). A 1,000-page case is 50 MB of streams, so that was 100 MB of
 * copies and the garbage collection after them. Neither copy is ever written to: a
 * parsed or copied raw stream's bytes are only read (to save, or to decode). Here both
 * share the bytes they came from instead. Idempotent.
 */
export function patchPdfLibStreamSharing(): void {
  const require = createRequire(import.meta.url);
  const byteStream = (
    require('pdf-lib/cjs/core/parser/ByteStream.js') as {
      default: { prototype: ByteStreamPrototype };
    }
  ).default.prototype;
  if (!byteStream.__postrobotShared) {
    byteStream.__postrobotShared = true;
    byteStream.slice = function slice(
      this: ByteStreamPrototype,
      start: number,
      end: number,
    ): Uint8Array {
      return this.bytes.subarray(start, end);
    };
  }
  const rawStream = (
    require('pdf-lib/cjs/core/objects/PDFRawStream.js') as { default: RawStreamClass }
  ).default;
  if (!rawStream.prototype.__postrobotShared) {
    rawStream.prototype.__postrobotShared = true;
    rawStream.prototype.clone = function clone(
      this: RawStreamClass['prototype'],
      context?: unknown,
    ): unknown {
      return rawStream.of(this.dict.clone(context), this.contents);
    };
  }
}

/**
 * pdf-lib 1.17.1 writes each stream's bytes into the output one byte at a time; on a
 * 50 MB case bundle that loop was a fifth of the build. This puts a block copy in its
 * place with the same output, byte for byte (newline, stream, newline, the bytes, newline, endstream).
 * Idempotent; affects only how bytes are copied, never what is written.
 */
export function patchPdfLibStreamCopy(): void {
  const require = createRequire(import.meta.url);
  const module = require('pdf-lib/cjs/core/objects/PDFStream.js') as {
    default: { prototype: StreamPrototype };
  };
  const prototype = module.default.prototype;
  if (prototype.__postrobotFastCopy) return;
  prototype.__postrobotFastCopy = true;
  prototype.copyBytesInto = function copyBytesInto(
    this: StreamPrototype,
    buffer: Uint8Array,
    offset: number,
  ): number {
    this.updateDict();
    const start = offset;
    offset += this.dict.copyBytesInto(buffer, offset);
    buffer.set(STREAM, offset);
    offset += STREAM.length;
    const contents = this.getContents();
    buffer.set(contents, offset);
    offset += contents.length;
    buffer.set(END_STREAM, offset);
    offset += END_STREAM.length;
    return offset - start;
  };
}

/** One entry of a zip's central directory; nothing is decompressed to list it. */
export interface ZipEntry {
  name: string;
  size: number;
  compressedSize: number;
  directory: boolean;
  encrypted: boolean;
}

export interface ZipListing {
  entries: ZipEntry[];
  /** Entries the directory declares, which may be more than were listed. */
  declared: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;

/** Reads the central directory at the end of a zip; throws on a damaged one. */
export function listZip(bytes: Uint8Array, maxEntries = 5000): ZipListing {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65535); at -= 1) {
    if (view.getUint32(at, true) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new Error('no end of central directory');
  const declared = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder('utf-8');
  while (
    entries.length < Math.min(declared, maxEntries) &&
    at + 46 <= bytes.length &&
    view.getUint32(at, true) === CENTRAL
  ) {
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    entries.push({
      name,
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      directory: name.endsWith('/'),
      encrypted: (flags & 1) === 1,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return { entries, declared };
}

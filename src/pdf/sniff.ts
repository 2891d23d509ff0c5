import { listZip } from './zip-index.js';

/** What the bytes are, decided from their content; the mail's Content-Type is not trusted. */
export type DetectedType =
  | 'pdf'
  | 'jpeg'
  | 'png'
  | 'gif'
  | 'tiff'
  | 'bmp'
  | 'webp'
  | 'zip'
  | 'docx'
  | 'xlsx'
  | 'pptx'
  | 'odt'
  | 'ods'
  | 'odp'
  | 'ole'
  | 'rfc822'
  | 'text'
  | 'empty'
  | 'unknown';

const OFFICE = new Set<DetectedType>(['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'ole']);
const IMAGES = new Set<DetectedType>(['jpeg', 'png', 'gif', 'tiff', 'bmp', 'webp']);

export const isOffice = (type: DetectedType): boolean => OFFICE.has(type);
export const isImage = (type: DetectedType): boolean => IMAGES.has(type);

function startsWith(bytes: Uint8Array, magic: number[], offset = 0): boolean {
  return magic.every((value, index) => bytes[offset + index] === value);
}

function zipFlavour(bytes: Uint8Array): DetectedType {
  let names: string[];
  try {
    names = listZip(bytes).entries.map((entry) => entry.name);
  } catch {
    return 'zip';
  }
  if (names.includes('[Content_Types].xml')) {
    if (names.some((name) => name.startsWith('word/'))) return 'docx';
    if (names.some((name) => name.startsWith('xl/'))) return 'xlsx';
    if (names.some((name) => name.startsWith('ppt/'))) return 'pptx';
  }
  // An ODF file stores its type uncompressed as the first entry, at a fixed offset.
  const head = Buffer.from(bytes.subarray(30, 120)).toString('latin1');
  if (names.includes('content.xml') && head.startsWith('mimetype')) {
    if (head.includes('opendocument.text')) return 'odt';
    if (head.includes('opendocument.spreadsheet')) return 'ods';
    if (head.includes('opendocument.presentation')) return 'odp';
  }
  return 'zip';
}

/** Text if the start has no NUL byte and few control characters. */
function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return false;
    if (byte < 9 || (byte > 13 && byte < 32)) control += 1;
  }
  return control <= sample.length / 100;
}

function looksLikeMail(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 16384)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  if (end < 0) return false;
  const lines = head.slice(0, end).split(/\r?\n/);
  const first = lines.find((line) => !line.startsWith('From ')) ?? '';
  return (
    /^[A-Za-z][A-Za-z0-9-]*:/.test(first) &&
    /^(from|subject|date|message-id):/im.test(head.slice(0, end)) &&
    /^(from|to):/im.test(head.slice(0, end))
  );
}

export function sniffType(bytes: Uint8Array): DetectedType {
  if (bytes.length === 0) return 'empty';
  // A PDF header may follow a little junk; readers look in the first KB.
  if (Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-')) return 'pdf';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'tiff';
  if (startsWith(bytes, [0x42, 0x4d]) && bytes.length > 26) return 'bmp';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
    return 'webp';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]))
    return zipFlavour(bytes);
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return 'text';
  if (looksLikeText(bytes)) return looksLikeMail(bytes) ? 'rfc822' : 'text';
  return 'unknown';
}

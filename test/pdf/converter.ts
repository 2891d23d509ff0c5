import { createHash } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import {
  attachmentToPdf,
  findTools,
  loadFontBytes,
  type AttachmentPdfOptions,
  type ExternalTools,
  type FontBytes,
} from '../../src/pdf/index.js';
import { attachment, tempFolder, writeTemp } from './helpers.js';

/**
 * For one describe block: a temp folder, the fonts and the external tools, loaded once
 * before its tests and the folder removed after them; `convert` turns an attachment into
 * PDF pages as the daemon does and writes them to a file in the folder.
 */
export function useAttachmentConverter() {
  let folder: ReturnType<typeof tempFolder> | null = null;
  let fonts: FontBytes | null = null;
  let tools: ExternalTools | null = null;
  beforeAll(async () => {
    folder = tempFolder();
    fonts = await loadFontBytes();
    tools = await findTools();
  });
  afterAll(() => folder?.remove());
  const ready = <T>(value: T | null): T => {
    if (value === null) throw new Error('used outside the tests of its describe block');
    return value;
  };
  return {
    get dir(): string {
      return ready(folder).dir;
    },
    get fonts(): FontBytes {
      return ready(fonts);
    },
    get tools(): ExternalTools {
      return ready(tools);
    },
    async convert(
      name: string,
      bytes: Uint8Array,
      contentType?: string,
      extra: Partial<AttachmentPdfOptions> = {},
    ) {
      const result = await attachmentToPdf(attachment(name, bytes, contentType), {
        fonts: ready(fonts),
        tools: ready(tools),
        ...extra,
      });
      // Named by a hash: attachment names may hold characters a file name should not.
      const file = `${createHash('sha1').update(name).digest('hex')}.converted.pdf`;
      return { ...result, file: writeTemp(ready(folder).dir, file, result.pdf) };
    },
  };
}

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PdfError } from './errors.js';
import { run } from './tools.js';

/**
 * Converts an Office document with LibreOffice headless, in a private profile folder so
 * that parallel conversions and a desktop session do not lock each other out.
 */
export async function officeToPdf(
  bytes: Uint8Array,
  extension: string,
  soffice: string | null,
  timeoutMs: number,
): Promise<Uint8Array> {
  if (!soffice)
    throw new PdfError(
      'ConverterMissing',
      'Office documents need LibreOffice, which is not installed',
    );
  const dir = await mkdtemp(join(tmpdir(), 'postrobot-office-'));
  try {
    const input = join(dir, `document.${extension}`);
    await writeFile(input, bytes, { mode: 0o600 });
    const profile = pathToFileURL(join(dir, 'profile')).href;
    const result = await run(
      soffice,
      [
        `-env:UserInstallation=${profile}`,
        '--headless',
        '--norestore',
        '--nologo',
        '--convert-to',
        'pdf',
        '--outdir',
        join(dir, 'out'),
        input,
      ],
      timeoutMs,
      { ...process.env, HOME: dir },
    );
    const produced = await readdir(join(dir, 'out')).catch(() => [] as string[]);
    const pdf = produced.find((name) => name.endsWith('.pdf'));
    if (result.code !== 0 || !pdf)
      throw new PdfError(
        'ConverterFailed',
        `LibreOffice could not convert the document (exit ${result.code})`,
      );
    return await readFile(join(dir, 'out', pdf));
  } catch (error) {
    if (error instanceof PdfError) throw error;
    throw new PdfError('ConverterFailed', 'LibreOffice did not finish the conversion', error);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

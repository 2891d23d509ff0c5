import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { BlobStore } from '../journal/blob-store.js';
import type { Journal } from '../journal/journal.js';
import type { DocumentRecord } from '../journal/records.js';
import { parseMail } from '../pipeline/parse.js';
import { attachmentToPdf } from './attachment-pdf.js';
import { buildCaseBundle } from './bundle.js';
import { buildCaseBundleInWorker } from './bundle-in-worker.js';
import type { BundleInput, BundleResult } from './bundle-types.js';
import { renderPlaceholderPdf } from './placeholder.js';
import { loadFontBytes, type FontBytes } from './fonts.js';
import { renderMailPdf } from './mail-pdf.js';
import { findTools, type ExternalTools } from './tools.js';

/** What filing documents as PDFs needs; made once by the daemon or a command. */
export interface CaseFilesDeps {
  journal: Journal;
  blobs: BlobStore;
  /** Where `<case>.pdf` bundles are kept (`<data dir>/bundles`). */
  bundleDir: string;
  log?: Logger;
  fonts?: FontBytes;
  tools?: ExternalTools;
  /** Adds an invisible OCR text layer to scanned pages (src/pdf/ocr); none when not given. */
  textLayer?: (pdf: Uint8Array) => Promise<Uint8Array>;
}

export const aktLabel = (document: DocumentRecord): string =>
  document.sub > 0 ? `${document.akt}.${document.sub}` : `${document.akt}`;

export function bundlePath(bundleDir: string, caseNumber: string): string {
  return join(bundleDir, `${caseNumber.replace(/[^0-9A-Za-z-]/g, '_')}.pdf`);
}

async function renderDocument(
  deps: CaseFilesDeps & { fonts: FontBytes; tools: ExternalTools },
  document: DocumentRecord,
): Promise<{ pdf: Uint8Array; placeholder: { reason: string; code: string } | null }> {
  const { journal, blobs } = deps;
  if (document.kind === 'mail') {
    const message = journal.getMessage(document.messageId);
    if (!message) throw new Error(`mail ${document.messageId} is not in the ledger`);
    const mail = await parseMail(blobs.read(message.sha256, 'eml'));
    return { pdf: await renderMailPdf(mail, { fonts: deps.fonts }), placeholder: null };
  }
  const content = blobs.read(document.sha256, 'bin');
  const result = await attachmentToPdf(
    {
      filename: document.filename ?? document.title,
      contentType: document.contentType ?? 'application/octet-stream',
      size: document.size,
      sha256: document.sha256,
      content,
      related: false,
    },
    { fonts: deps.fonts, tools: deps.tools },
  );
  const pdf = deps.textLayer && !result.placeholder ? await deps.textLayer(result.pdf) : result.pdf;
  return { pdf, placeholder: result.placeholder };
}

/**
 * Renders the PDF of every document of a case that has none yet and stores it in the
 * blob store. A document that cannot be rendered at all gets a placeholder page; each
 * placeholder is an audit event. Returns how many documents were rendered.
 */
export async function ensureDocumentPdfs(deps: CaseFilesDeps, caseNumber: string): Promise<number> {
  const full = {
    ...deps,
    fonts: deps.fonts ?? (await loadFontBytes()),
    tools: deps.tools ?? (await findTools()),
  };
  let rendered = 0;
  for (const document of deps.journal.caseDocuments(caseNumber)) {
    if (document.pdfSha256 && deps.blobs.has(document.pdfSha256, 'pdf')) continue;
    let outcome: { pdf: Uint8Array; placeholder: { reason: string; code: string } | null };
    try {
      outcome = await renderDocument(full, document);
    } catch (error) {
      const reason = `the document could not be rendered (${error instanceof Error ? error.message : String(error)})`;
      const pdf = await renderPlaceholderPdf(
        {
          filename: document.filename ?? document.title,
          detectedType: document.contentType ?? 'ukendt',
          size: document.size,
          sha256: document.sha256,
          reason,
        },
        full.fonts,
      );
      outcome = { pdf, placeholder: { reason, code: 'RenderFailed' } };
    }
    const pdfSha256 = deps.blobs.put(outcome.pdf, 'pdf');
    deps.journal.setDocumentPdf(
      document.id,
      pdfSha256,
      outcome.placeholder ? `placeholder: ${outcome.placeholder.reason}` : null,
    );
    if (outcome.placeholder) {
      deps.journal.addEvent({
        kind: 'document-placeholder',
        messageId: document.messageId,
        caseNumber,
        at: new Date().toISOString(),
        detail: {
          akt: aktLabel(document),
          code: outcome.placeholder.code,
          sha256: document.sha256,
        },
      });
      deps.log?.warn(
        {
          event: 'document-placeholder',
          caseNumber,
          akt: aktLabel(document),
          code: outcome.placeholder.code,
        },
        'document shown as a placeholder',
      );
    }
    rendered += 1;
  }
  return rendered;
}

/** The bundle's input from the journal: numbered documents that have a PDF, in akt order. */
export function bundleInputFor(
  deps: CaseFilesDeps,
  caseNumber: string,
  builtAt: Date,
): BundleInput {
  const found = deps.journal.getCase(caseNumber);
  const documents = deps.journal
    .caseDocuments(caseNumber)
    .filter((document) => document.akt !== null && document.pdfSha256)
    .map((document) => ({
      akt: aktLabel(document),
      title: document.title,
      sender: document.sender,
      date: document.dated,
      kind: document.note?.startsWith('placeholder:') ? ('placeholder' as const) : document.kind,
      pdfFile: deps.blobs.pathOf(document.pdfSha256!, 'pdf'),
    }));
  return {
    caseNumber,
    areaName: found?.area ?? null,
    caseworker: found?.caseworker ?? null,
    builtAt,
    documents,
  };
}

/**
 * Renders what is missing and (re)builds the case PDF, by default in a worker thread so
 * that the caller's event loop (the mail loop) keeps running. Audited as 'bundle-built'.
 */
export async function rebuildCaseBundle(
  deps: CaseFilesDeps,
  caseNumber: string,
  options: { outFile?: string; inWorker?: boolean } = {},
): Promise<BundleResult> {
  await ensureDocumentPdfs(deps, caseNumber);
  const input = bundleInputFor(deps, caseNumber, new Date());
  mkdirSync(deps.bundleDir, { recursive: true, mode: 0o700 });
  const outFile = options.outFile ?? bundlePath(deps.bundleDir, caseNumber);
  const result =
    options.inWorker === false
      ? await buildCaseBundle(input, outFile, { fonts: deps.fonts })
      : await buildCaseBundleInWorker(input, outFile);
  deps.journal.addEvent({
    kind: 'bundle-built',
    caseNumber,
    at: new Date().toISOString(),
    detail: { pages: result.pages, documents: result.documents, file: outFile },
  });
  return result;
}

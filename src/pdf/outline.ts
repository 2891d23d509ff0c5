import {
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  type PDFDocument,
  type PDFRef,
} from 'pdf-lib';

export interface OutlineItem {
  title: string;
  /** 0-based page index the bookmark opens. */
  pageIndex: number;
  children: OutlineItem[];
}

/** Registers one level of items under `parent` and returns the first and last refs. */
function addLevel(
  doc: PDFDocument,
  items: OutlineItem[],
  parent: PDFRef,
  pageRefs: PDFRef[],
): { first: PDFRef; last: PDFRef; count: number } | null {
  if (items.length === 0) return null;
  const refs = items.map(() => doc.context.nextRef());
  const count = items.length;
  items.forEach((item, index) => {
    const pageRef = pageRefs[item.pageIndex]!;
    const dict = doc.context.obj({}) as PDFDict;
    dict.set(PDFName.of('Title'), PDFHexString.fromText(item.title));
    dict.set(PDFName.of('Parent'), parent);
    dict.set(
      PDFName.of('Dest'),
      doc.context.obj([pageRef, PDFName.of('XYZ'), PDFNull, PDFNull, PDFNull]),
    );
    if (index > 0) dict.set(PDFName.of('Prev'), refs[index - 1]!);
    if (index < items.length - 1) dict.set(PDFName.of('Next'), refs[index + 1]!);
    const children = addLevel(doc, item.children, refs[index]!, pageRefs);
    if (children) {
      dict.set(PDFName.of('First'), children.first);
      dict.set(PDFName.of('Last'), children.last);
      // A negative count shows the item closed; the caseworker opens the mail to see its attachments.
      dict.set(PDFName.of('Count'), PDFNumber.of(-children.count));
    }
    doc.context.assign(refs[index]!, dict);
  });
  return { first: refs[0]!, last: refs[refs.length - 1]!, count };
}

/** Writes the document outline (the bookmarks pane) and asks viewers to show it on opening. */
export function writeOutline(doc: PDFDocument, items: OutlineItem[]): void {
  const pageRefs = doc.getPages().map((page) => page.ref);
  const rootRef = doc.context.nextRef();
  const level = addLevel(doc, items, rootRef, pageRefs);
  const root = doc.context.obj({ Type: 'Outlines' }) as PDFDict;
  if (level) {
    root.set(PDFName.of('First'), level.first);
    root.set(PDFName.of('Last'), level.last);
    root.set(PDFName.of('Count'), PDFNumber.of(level.count));
  }
  doc.context.assign(rootRef, root);
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

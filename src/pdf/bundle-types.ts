/** One document of a case as the bundle needs it; its PDF was made when it was filed. */
export interface BundleDocument {
  /** Akt number: "3" for a mail, "3.1" for its first attachment. */
  akt: string;
  title: string;
  sender: string | null;
  /** ISO 8601 or already formatted; shown as a date. */
  date: string | null;
  kind: 'mail' | 'attachment' | 'placeholder';
  /** Path to that document's PDF. */
  pdfFile: string;
}

export interface BundleInput {
  caseNumber: string;
  areaName: string | null;
  caseworker: string | null;
  builtAt: Date;
  documents: BundleDocument[];
}

/** Where each document landed in the bundle (1-based page numbers). */
export interface BundleEntry {
  akt: string;
  title: string;
  firstPage: number;
  pages: number;
  /** Set when the document's PDF could not be read and a notice page stands in for it. */
  error: string | null;
}

export interface BundleResult {
  file: string;
  pages: number;
  documents: number;
  bytes: number;
  /** Pages before the first document: the cover and the table of contents. */
  frontPages: number;
  entries: BundleEntry[];
  /** Where the build spent its time, in ms (for the benchmark; not stable across runs). */
  phases: BundlePhases;
}

/** Milliseconds per step of one build; `read` + `copy` + `serialize` + `write` is the merge. */
export interface BundlePhases {
  /** Reading and parsing the documents' PDFs. */
  read: number;
  /** Copying their pages into the bundle. */
  copy: number;
  /** Fonts, cover, table of contents, outline. */
  front: number;
  /** The footer stamp on every page. */
  stamp: number;
  /** Turning the document into bytes. */
  serialize: number;
  /** Temp file, fsync, rename. */
  write: number;
}

export interface BundleOptions {
  /** Time zone for dates on the cover and in the table of contents. */
  timeZone?: string;
}

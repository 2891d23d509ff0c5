/**
 * The records that pass between the pipeline's stages. Stages take one and return the
 * next; none of them does I/O. Adapters (sources, stores, SMTP) live in src/daemon.
 */

/** Where a raw mail came from: the ledger key is (account, mailbox, uidValidity, uid). */
export interface MailLocator {
  account: string;
  mailbox: string;
  uidValidity: number;
  /** IMAP UID, or for Maildir the unique part of the file name. */
  uid: string;
}

/** A raw mail as a source hands it over, before anything is stored. */
export interface IncomingMail {
  locator: MailLocator;
  raw: Buffer;
  /** When the source saw it (ISO 8601). */
  seenAt: string;
}

/** An attachment after parsing; bytes are kept as they came. */
export interface MailAttachment {
  /** Cleaned file name (no path, no control or bidi characters). */
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  content: Buffer;
  /** Inline part referenced from the HTML body (cid:). */
  related: boolean;
  contentId?: string;
}

export interface MailAddress {
  name: string;
  address: string;
}

/** A mail after mailparser, with the headers the later stages need. */
export interface ParsedMail {
  messageId: string | null;
  subject: string;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  date: string | null;
  inReplyTo: string | null;
  references: string[];
  text: string;
  html: string | null;
  attachments: MailAttachment[];
  /** Lower-cased header names to their raw (decoded) string values. */
  headers: Record<string, string>;
  contentType: string;
}

/** Why a mail is an automatic one that must never be forwarded or answered. */
export type AutomaticKind = 'auto-reply' | 'bounce' | 'bulk' | 'own-forward';

export interface CaseNumberHit {
  /** Normalised form, e.g. 24-123456. */
  caseNumber: string;
  /** Where it was found. */
  source: 'subject' | 'references' | 'body' | 'quoted' | 'attachment';
  /** Name of the pattern that matched. */
  pattern: string;
}

/** What the extract stage learns from a parsed mail. */
export interface ExtractedMail {
  /** The new text of the body: no quoted history, no signature. */
  bodyText: string;
  /** The quoted history that was cut off (kept for case numbers, never for routing). */
  quotedText: string;
  /** Text taken from attachments (PDF text layer, OCR). */
  attachmentText: string;
  attachmentNames: string[];
  senderAddress: string | null;
  senderDomain: string | null;
  caseNumbers: CaseNumberHit[];
  automatic: AutomaticKind | null;
  /** How many CPR numbers occur; the numbers themselves are never kept here. */
  cprCount: number;
}

/** The text the classifier sees, assembled from a parsed and extracted mail. */
export interface ClassifierInput {
  subject: string;
  bodyText: string;
  attachmentNames: string[];
  attachmentText: string;
  senderDomain: string | null;
}

/** One piece of evidence for a classification, shown to admins as a reason. */
export interface Reason {
  /** Stable kind: case-number, rule, keyword, model, loop-guard, … */
  kind: string;
  /** Human-readable, never containing mail text beyond matched terms. */
  detail: string;
  area?: string | null;
  weight?: number;
}

export interface Classification {
  /** Area id, or null when nothing points anywhere. */
  area: string | null;
  /** Calibrated confidence in [0, 1]. */
  confidence: number;
  caseNumber: string | null;
  reasons: Reason[];
  /** Set when a rule says "a person decides" regardless of confidence. */
  forceManual?: boolean;
  /** The model's stored threshold for the chosen area, when the model chose it. */
  modelThreshold?: number;
}

export type DecisionKind = 'route' | 'manual' | 'quarantine';

export interface Decision {
  kind: DecisionKind;
  area: string | null;
  confidence: number;
  caseNumber: string | null;
  reasons: Reason[];
  /** Destination folder name (area folder, manual or quarantine). */
  folder: string;
  /** Addresses to forward to (only from config); empty when none. */
  forwardTo: string[];
}

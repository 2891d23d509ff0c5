/**
 * Splits a mail body into the new text and the quoted history below it, the way Outlook,
 * Gmail, Apple Mail and Danish webmail write replies and forwards, and cuts the signature.
 */

/** A line at which the quoted history starts; everything from it on is history. */
const HISTORY_MARKERS: RegExp[] = [
  /^-{2,}\s*(Oprindelig meddelelse|Original Message|Videresendt meddelelse|Forwarded message|Oprindelig besked)\s*-{2,}/i,
  /^_{10,}\s*$/, // Outlook's rule line above "Fra:"
  /^(Den|D\.)\s.{4,80}\s(skrev|wrote)\s?.{0,80}:\s*$/i,
  /^On\s.{4,120}\swrote:\s*$/i,
  /^Am\s.{4,80}\sschrieb\s.{0,80}:\s*$/i,
  /^Begin forwarded message:/i,
  /^Start på videresendt besked:/i,
];

/** Outlook's header block of a quoted mail: "Fra:" followed within a few lines by "Sendt:"/"Dato:". */
const FROM_LINE = /^\*?(Fra|From)\s*:\*?\s/i;
const SENT_LINE = /^\*?(Sendt|Sent|Dato|Date)\s*:\*?\s/i;

/** Where a signature starts: "-- ", a closing phrase, or a mobile client's tag. */
const SIGNATURE_MARKERS: RegExp[] = [
  /^-- ?$/,
  /^Sendt fra min (iPhone|iPad|Samsung|mobil|Android)/i,
  /^Sent from my (iPhone|iPad|Samsung|phone|Android)/i,
  /^Hent Outlook til (iOS|Android)/i,
  /^Get Outlook for (iOS|Android)/i,
];

export interface SplitBody {
  newText: string;
  quoted: string;
}

function findHistoryStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] ?? '').trim();
    if (HISTORY_MARKERS.some((marker) => marker.test(line))) return i;
    if (FROM_LINE.test(line)) {
      const window = lines.slice(i + 1, i + 5).map((l) => l.trim());
      if (window.some((l) => SENT_LINE.test(l))) return i;
    }
    if (line.startsWith('>')) {
      const rest = lines.slice(i).filter((l) => l.trim() !== '');
      const quotedShare =
        rest.filter((l) => l.trim().startsWith('>')).length / Math.max(rest.length, 1);
      if (quotedShare > 0.6) return i;
    }
  }
  return lines.length;
}

function cutSignature(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (SIGNATURE_MARKERS.some((marker) => marker.test(line.trimEnd()))) return lines.slice(0, i);
  }
  return lines;
}

/** Splits a plain-text body into the new text (signature cut) and the quoted history. */
export function splitQuoted(body: string): SplitBody {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const start = findHistoryStart(lines);
  const own = cutSignature(lines.slice(0, start));
  const inlineQuotes = own.filter((line) => line.trim().startsWith('>'));
  const newLines = own.filter((line) => !line.trim().startsWith('>'));
  const quoted = [...inlineQuotes, ...lines.slice(start)].join('\n');
  return { newText: newLines.join('\n').trim(), quoted: quoted.trim() };
}

/**
 * A closing phrase that starts the sign-off ("Med venlig hilsen", "Mvh", "Best regards"),
 * alone on its line or followed by the name.
 */
const SIGN_OFF =
  /^(med\s+)?(venlig(st)?|kærlig|kaerlig|mange)\s+hilsen|^(de\s+)?bedste\s+hilsner|^mvh\b|^m\.v\.h\b|^vh\b|^hilsen\b|^(best|kind|warm)\s+regards|^regards\b|^yours\s+(sincerely|faithfully)|^sincerely\b|^best\b,?\s*$/i;
/** A sign-off further up than this many non-empty lines from the end is part of the text. */
const SIGN_OFF_MAX_LINES = 12;

export interface SignedText {
  /** What the writer says. */
  text: string;
  /** The sign-off and what follows it: who writes (name, title, body, address). */
  signOff: string;
}

/**
 * Splits the writer's sign-off from the text: who writes ("Jobcenter Viborg", "Udbetaling
 * Danmark", "3F Aalborg") says less about the case area than what is written above it.
 */
export function splitSignOff(text: string): SignedText {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    seen += 1;
    if (seen > SIGN_OFF_MAX_LINES) break;
    if (SIGN_OFF.test(line) && i > 0)
      return {
        text: lines.slice(0, i).join('\n').trimEnd(),
        signOff: lines.slice(i).join('\n').trim(),
      };
  }
  return { text, signOff: '' };
}

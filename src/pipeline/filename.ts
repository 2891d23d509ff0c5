/**
 * Makes a file name taken from a mail safe to show and to store: no path, no control or
 * bidirectional-override characters (which can make "exe.pdf" read as "fdp.exe"), no
 * leading dots, bounded length.
 */
const CONTROL_AND_BIDI =
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function cleanFilename(name: string | undefined | null, fallback: string): string {
  if (!name) return fallback;
  const base = name.replace(/\\/g, '/').split('/').pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(CONTROL_AND_BIDI, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^\.+/, '')
    .trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return fallback;
  if (cleaned.length <= 180) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, 180 - ext.length) + ext;
}

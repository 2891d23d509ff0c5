import { Parser } from 'htmlparser2';

/** What an HTML body becomes: text paragraphs and the images it refers to. Nothing is fetched. */
export type HtmlBlock =
  | { kind: 'text'; text: string; heading: boolean }
  | { kind: 'inline-image'; contentId: string; alt: string }
  | { kind: 'remote-image'; src: string; alt: string };

const SKIP = new Set([
  'script',
  'style',
  'head',
  'title',
  'template',
  'noscript',
  'object',
  'embed',
  'iframe',
  'svg',
  'math',
]);
const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'header',
  'footer',
  'blockquote',
  'pre',
  'table',
  'tr',
  'ul',
  'ol',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'address',
  'dl',
  'dt',
  'dd',
  'form',
  'fieldset',
]);
const HEADING = /^h[1-6]$/;

/** Where a remote image pointed, without its query (which may carry tracking tokens). */
function describeSource(src: string): string {
  try {
    const url = new URL(src);
    return `${url.host}${url.pathname}`.slice(0, 120);
  } catch {
    return src.slice(0, 120);
  }
}

/**
 * A light HTML-to-blocks conversion: no scripts run, no styles apply and no URL is
 * loaded; the text keeps its paragraphs, lists and table rows, and images are named.
 */
export function htmlToBlocks(html: string): HtmlBlock[] {
  const blocks: HtmlBlock[] = [];
  let text = '';
  let heading = false;
  let skipDepth = 0;
  let preDepth = 0;
  const flush = (): void => {
    const cleaned = text
      .split('\n')
      .map((line) => line.replace(/[ \t\u00a0]+$/g, ''))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/^\n+|\n+$/g, '');
    if (cleaned.trim() !== '') blocks.push({ kind: 'text', text: cleaned, heading });
    text = '';
    heading = false;
  };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (SKIP.has(name)) skipDepth += 1;
        if (skipDepth > 0) return;
        if (name === 'pre') preDepth += 1;
        if (BLOCK.has(name)) flush();
        if (HEADING.test(name)) heading = true;
        if (name === 'br') text += '\n';
        if (name === 'li') text += '• ';
        if (name === 'td' || name === 'th') text += text.endsWith('\n') || text === '' ? '' : '  ';
        if (name === 'img') {
          const src = (attributes.src ?? '').trim();
          const alt = attributes.alt ?? '';
          if (/^cid:/i.test(src)) {
            flush();
            blocks.push({
              kind: 'inline-image',
              contentId: src.slice(4).replace(/^<|>$/g, ''),
              alt,
            });
          } else if (src !== '' && !/^data:/i.test(src)) {
            flush();
            blocks.push({ kind: 'remote-image', src: describeSource(src), alt });
          }
        }
      },
      ontext(data) {
        if (skipDepth > 0) return;
        text += preDepth > 0 ? data : data.replace(/\s+/g, ' ');
      },
      onclosetag(name) {
        if (SKIP.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (skipDepth > 0) return;
        if (name === 'pre') preDepth = Math.max(0, preDepth - 1);
        if (name === 'tr' || name === 'dt' || name === 'dd') text += '\n';
        if (BLOCK.has(name)) flush();
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return blocks.map((block) =>
    block.kind === 'text'
      ? {
          ...block,
          text: block.text
            .split('\n')
            .map((line) => line.replace(/^ +/, ''))
            .join('\n'),
        }
      : block,
  );
}

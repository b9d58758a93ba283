/** Half of a two-unit UTF-16 character, which no header or URI can carry. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Longest name a file record keeps, in characters. */
const MAX_STORED_NAME = 3000;
/**
 * Longest name a download's Content-Disposition carries, in characters: percent-encoded
 * non-Latin names grow ninefold, and Node's clients refuse headers past 16 KB.
 */
const MAX_DOWNLOAD_NAME = 200;

const characters = (name: string) => Array.from(name.replace(LONE_SURROGATE, '\uFFFD'));

/** The name a file record keeps: cut between characters, never inside one. */
export function storedName(name: string): string {
  return characters(name).slice(0, MAX_STORED_NAME).join('');
}

/** The name a download is saved as: short enough for any client's header limit, extension kept. */
export function downloadName(name: string): string {
  const chars = characters(name);
  if (chars.length <= MAX_DOWNLOAD_NAME) return chars.join('');
  const extension = /\.[A-Za-z0-9]{1,10}$/.exec(name)?.[0] ?? '';
  return chars.slice(0, MAX_DOWNLOAD_NAME - extension.length).join('') + extension;
}

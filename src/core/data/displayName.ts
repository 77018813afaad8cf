/** File names as display strings (they are user input). */

/**
 * A file name as a plain display string: control characters, zero-width and bidi-override
 * characters (which could make "gnp.exe" read as "exe.png") become visible \u{…} escapes, and very
 * long names are shortened in the middle. Nothing in the name is ever interpreted.
 */
export function displayName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const escaped = String(name).replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g, (ch) => `\\u{${ch.codePointAt(0)!.toString(16)}}`);
  if (escaped.length === 0) return '(unnamed file)';
  const chars = Array.from(escaped);
  return chars.length > 120 ? `${chars.slice(0, 80).join('')}…${chars.slice(-39).join('')}` : escaped;
}

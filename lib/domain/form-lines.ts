/**
 * The non-blank lines of a textarea, trimmed, each with its line number as the person sees it
 * (blank lines count), so "line 3" in a message points at the third line of the box.
 */
export function formLines(text: string): Array<{ line: string; number: number }> {
  return text
    .split(/\r?\n/)
    .map((raw, i) => ({ line: raw.trim(), number: i + 1 }))
    .filter((l) => l.line !== "");
}

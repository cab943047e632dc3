/** How much of a submitted value a refusal may quote: enough to recognise it, never the whole of it. */
export const EXCERPT_CHARS = 64;

/** `value` cut to EXCERPT_CHARS characters, marked with `…` when cut (1 MB in is never 1 MB out). */
export function excerpt(value: string, max = EXCERPT_CHARS): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

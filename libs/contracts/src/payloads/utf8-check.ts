import { configureTextEncoding, getTextEncoding } from '@bufbuild/protobuf/wire';

/** ES2024's String.prototype.isWellFormed (Node 20 has it; the project's TypeScript lib is ES2023). */
type WellFormed = string & { isWellFormed(): boolean };

/**
 * protobuf-es checks every string field it sets is valid UTF-8 (no lone surrogate) with
 * `encodeURIComponent` in a try/catch: it builds an escaped copy of the whole string only to throw
 * on exactly the strings `isWellFormed` says false for. Same answer, no copy — on every string field
 * of every message encoded or decoded. Encoding and decoding stay protobuf-es's own.
 */
export function useWellFormedUtf8Check(): void {
  const encoding = getTextEncoding();
  configureTextEncoding({
    encodeUtf8: (text) => encoding.encodeUtf8(text),
    decodeUtf8: (bytes, strict) => encoding.decodeUtf8(bytes, strict),
    checkUtf8: (text) => (text as WellFormed).isWellFormed(),
  });
}

import { unzipSync, zipSync } from 'fflate';

/** The bundle's members in order; the first is `mimetype`, as in ASiC containers. */
export type Members = ReadonlyMap<string, Uint8Array>;

/** Packs members into a ZIP with every member stored (level 0): each member's bytes appear as they are. */
export function packZip(members: Members): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0; mtime: Date }]> = {};
  // A fixed date: the same members always give the same file.
  for (const [path, bytes] of members)
    files[path] = [bytes, { level: 0, mtime: new Date('2000-01-01T00:00:00Z') }];
  return zipSync(files);
}

export class ContainerError extends Error {}

/**
 * Unpacks a ZIP. Refused: a file that is not one, more than `maxMembers` members, a compressed member
 * (bundles store theirs, so a small file can never unpack into a huge one), and a member path that
 * could escape a directory.
 */
export function unpackZip(bytes: Uint8Array, maxMembers = 10_000): Map<string, Uint8Array> {
  let files: Record<string, Uint8Array>;
  try {
    let count = 0;
    files = unzipSync(bytes, {
      filter: (file) => {
        count += 1;
        if (count > maxMembers) throw new ContainerError(`more than ${maxMembers} members`);
        if (file.compression !== 0 || file.originalSize !== file.size)
          throw new ContainerError(
            `member "${file.name.slice(0, 80)}" is compressed; bundle members are stored`,
          );
        return true;
      },
    });
  } catch (error) {
    throw new ContainerError(
      error instanceof ContainerError ? error.message : 'the file is not a readable ZIP container',
    );
  }
  const members = new Map<string, Uint8Array>();
  for (const [path, data] of Object.entries(files)) {
    if (path.endsWith('/')) continue;
    if (path.startsWith('/') || path.split('/').includes('..') || path.includes('\\'))
      throw new ContainerError(`member path "${path.slice(0, 80)}" is not a plain relative path`);
    members.set(path, data);
  }
  return members;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** UTF-8 both ways; decoding refuses malformed bytes (a member that is not text fails, it is not patched). */
export const utf8 = {
  encode: (s: string) => encoder.encode(s),
  decode: (b: Uint8Array) => decoder.decode(b),
};

import { readFileSync } from 'node:fs';
import { KeyMaterialError } from './signing.errors';

/**
 * Reads and parses a JSON key file; undefined when it does not exist. Errors name the file and say
 * what is wrong with it, but never quote its content (it may hold private keys).
 */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KeyMaterialError('KEY_FILE_UNREADABLE', file, undefined, `cannot be read (${errnoOf(error)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new KeyMaterialError('KEY_FILE_UNREADABLE', file, undefined, 'is not valid JSON');
  }
}

function errnoOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : 'I/O error';
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

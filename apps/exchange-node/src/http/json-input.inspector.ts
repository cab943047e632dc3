import type { FieldError } from '@app/contracts';
import { excerpt } from '@app/api-edge';

/** Keys that reach an object's prototype when a library copies them by assignment. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** C0 controls and DEL, except tab, newline and carriage return; C1 controls. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * The first thing wrong with parsed JSON input that no schema should have to think about: a key that
 * reaches a prototype, nesting deeper than `maxDepth`, a control character in a key or string. It
 * walks with its own stack, so hostile nesting cannot exhaust the call stack; the refusal names the
 * path, never the value.
 */
export function inspectJsonInput(value: unknown, maxDepth: number, root = ''): FieldError | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { path, depth } = item;
    if (typeof item.value === 'string') {
      if (CONTROL.test(item.value))
        return refuse(path, 'noControlCharacters', 'must not contain control characters');
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (depth >= maxDepth) return refuse(path, 'maxDepth', `nests deeper than ${maxDepth} levels`);
    if (Array.isArray(item.value)) {
      item.value.forEach((v: unknown, i) =>
        stack.push({ value: v, path: `${path}[${i}]`, depth: depth + 1 }),
      );
      continue;
    }
    for (const [key, v] of Object.entries(item.value)) {
      const at = path ? `${path}.${printable(key)}` : printable(key);
      if (FORBIDDEN_KEYS.has(key)) return refuse(at, 'forbiddenKey', 'is a key no input may have');
      if (CONTROL.test(key))
        return refuse(at, 'noControlCharacters', 'keys must not contain control characters');
      stack.push({ value: v, path: at, depth: depth + 1 });
    }
  }
  return undefined;
}

function refuse(path: string, rule: string, what: string): FieldError {
  return { path, rule, message: `${path || 'the request body'} ${what}` };
}

/** A key as it may appear in a path: short, and with control characters shown as escapes. */
function printable(key: string): string {
  return excerpt(key).replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

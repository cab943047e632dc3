import { inspectJsonInput } from './json-input.inspector';

describe('inspectJsonInput', () => {
  it('passes ordinary JSON, tabs, newlines and carriage returns included', () => {
    expect(inspectJsonInput({ a: [1, 'x\ty\r\nz', { b: null, c: true }] }, 32)).toBeUndefined();
  });

  it('names the path of a prototype key, as JSON.parse makes it an own key', () => {
    const parsed: unknown = JSON.parse('{"a":[{"b":{"__proto__":{"x":1}}}]}');
    expect(inspectJsonInput(parsed, 32)).toMatchObject({ path: 'a[0].b.__proto__', rule: 'forbiddenKey' });
    expect(inspectJsonInput({ constructor: 1 }, 32)).toMatchObject({ path: 'constructor' });
    expect(inspectJsonInput({ x: { prototype: 1 } }, 32)).toMatchObject({ path: 'x.prototype' });
  });

  it('refuses nesting past the limit without recursing, however deep', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(inspectJsonInput(deep, 32)).toMatchObject({ rule: 'maxDepth' });
    let ok: unknown = 1;
    for (let i = 0; i < 32; i++) ok = { a: ok };
    expect(inspectJsonInput(ok, 32)).toBeUndefined();
    expect(inspectJsonInput({ a: ok }, 32)).toMatchObject({ rule: 'maxDepth' });
  });

  it('refuses C0 and C1 control characters in strings and keys, escaped in the path', () => {
    expect(inspectJsonInput({ a: { b: 'x\u0000' } }, 32)).toMatchObject({
      path: 'a.b',
      rule: 'noControlCharacters',
    });
    expect(inspectJsonInput(['\u009b'], 32)).toMatchObject({ path: '[0]' });
    expect(inspectJsonInput({ 'k\u001b': 1 }, 32)).toMatchObject({ path: 'k\\u001b' });
    expect(inspectJsonInput({ type: 'x\u007f' }, 32, 'query')).toMatchObject({ path: 'query.type' });
  });
});

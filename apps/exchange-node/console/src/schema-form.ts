import { type ComponentChild, h } from 'preact';
import { type FieldError, type OpenApi, type Schema, text } from './api';
import { type Lang, translate } from './i18n';

/** A payload being edited: plain JSON, as the API takes it. */
export type Value = Record<string, unknown>;

export function resolve(doc: OpenApi, schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 10 && s.$ref; i++) s = doc.components.schemas[s.$ref.split('/').pop() ?? ''] ?? {};
  if (s.allOf?.length === 1 && s.allOf[0]) return resolve(doc, s.allOf[0]);
  return s;
}

/** The payload schema of a message type, as the OpenAPI document publishes it for POST /v1/messages. */
export function payloadSchema(doc: OpenApi, type: string): Schema | undefined {
  const submission = doc.components.schemas[`${type}Submission`];
  const payload = submission && resolve(doc, submission).properties?.payload;
  return payload && resolve(doc, payload);
}

/** `subjects.goods[0].hsCode` → an element id that is valid and unique in the page. */
export function fieldId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

function get(value: unknown, path: (string | number)[]): unknown {
  let v = value;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** A copy of `root` with `path` set to `v` (objects and arrays made as needed). */
export function setAt(root: Value, path: (string | number)[], v: unknown): Value {
  // Arrays are indexed like records here: a list item is set by its number.
  type Container = Record<string | number, unknown>;
  const copy = (x: unknown, key: string | number): Container =>
    Array.isArray(x)
      ? ([...(x as unknown[])] as unknown as Container)
      : x && typeof x === 'object'
        ? { ...x }
        : typeof key === 'number'
          ? ([] as unknown as Container)
          : {};
  const out = copy(root, '') as Value;
  let cur: Record<string | number, unknown> = out;
  path.forEach((k, i) => {
    if (i === path.length - 1) {
      if (v === undefined && Array.isArray(cur) && typeof k === 'number') (cur as unknown[]).splice(k, 1);
      else cur[k] = v;
      return;
    }
    const next = copy(cur[k], path[i + 1] ?? '');
    cur[k] = next;
    cur = next;
  });
  return out;
}

/** Empty strings, lists and objects removed: an untouched optional field is not sent. */
export function prune(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, prune(v)] as const);
    const kept = entries.filter(([, v]) => v !== undefined);
    return kept.length ? Object.fromEntries(kept) : undefined;
  }
  return value === '' ? undefined : value;
}

/** Field names as labels: `informationRequested` → `Information requested`. */
export function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function pathText(path: (string | number)[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

export interface FormProps {
  doc: OpenApi;
  schema: Schema;
  value: Value;
  errors: FieldError[];
  lang: Lang;
  onChange: (next: Value) => void;
}

/**
 * A form generated from a JSON schema: objects as fieldsets, lists of objects with add and remove
 * buttons, lists of text as one line per entry, enums as selects. Every field has a label, its help
 * text (the schema's description and limits), and its error from the node's 400 answer, if any.
 */
export function SchemaForm(props: FormProps): ComponentChild {
  return h('div', { class: 'schema-form' }, objectFields(props, props.schema, []));
}

function objectFields(p: FormProps, schema: Schema, path: (string | number)[]): ComponentChild[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, raw]) =>
    field(p, name, resolve(p.doc, raw), [...path, name], required.has(name), raw.description),
  );
}

function errorsAt(p: FormProps, path: string): FieldError[] {
  return p.errors.filter((e) => e.path.replace(/^payload\./, '') === path);
}

function field(
  p: FormProps,
  name: string,
  schema: Schema,
  path: (string | number)[],
  required: boolean,
  description?: string,
): ComponentChild {
  const key = pathText(path);
  const id = fieldId(key);
  const label = `${humanize(name)}${required ? ` (${translate(p.lang, 'required')})` : ''}`;
  const errs = errorsAt(p, key);
  const help = [
    description ?? schema.description,
    schema.pattern && `/${schema.pattern}/`,
    schema.maxLength && `≤ ${schema.maxLength}`,
  ]
    .filter(Boolean)
    .join(' · ');

  if (schema.type === 'object' || schema.properties) {
    return h('fieldset', { class: 'group', key }, [
      h('legend', null, label),
      ...objectFields(p, schema, path),
    ]);
  }
  if (schema.type === 'array' && schema.items) {
    const item = resolve(p.doc, schema.items);
    if (item.type === 'object' || item.properties) {
      const list = (get(p.value, path) as unknown[] | undefined) ?? [];
      const itemName = humanize(name);
      return h('fieldset', { class: 'group', key }, [
        h('legend', null, label),
        ...list.map((_, i) =>
          h('fieldset', { class: 'item', key: `${key}[${i}]` }, [
            h('legend', null, `${itemName} ${i + 1}`),
            ...objectFields(p, item, [...path, i]),
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                onClick: () => p.onChange(setAt(p.value, [...path, i], undefined)),
              },
              translate(p.lang, 'removeItem', { name: itemName, n: i + 1 }),
            ),
          ]),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            id: `${id}-add`,
            onClick: () => p.onChange(setAt(p.value, [...path, list.length], {})),
          },
          translate(p.lang, 'addItem', { name: itemName }),
        ),
        ...errs.map((e) => h('p', { class: 'error', role: 'alert' }, e.message)),
      ]);
    }
    // A list of text: one entry per line.
    const lines = ((get(p.value, path) as string[] | undefined) ?? []).join('\n');
    return wrap(
      p,
      id,
      label,
      `${help ? `${help} · ` : ''}${translate(p.lang, 'listHelp')}`,
      errs,
      key,
      h('textarea', {
        id,
        rows: 3,
        value: lines,
        'aria-invalid': errs.length > 0 || undefined,
        'aria-describedby': `${id}-help${errs.length ? ` ${id}-error` : ''}`,
        onInput: (e: Event) =>
          p.onChange(setAt(p.value, path, (e.target as HTMLTextAreaElement).value.split('\n'))),
      }),
    );
  }
  const current = get(p.value, path);
  const common = {
    id,
    'aria-invalid': errs.length > 0 || undefined,
    'aria-describedby': `${id}-help${errs.length ? ` ${id}-error` : ''}`,
  };
  if (schema.enum) {
    return wrap(
      p,
      id,
      label,
      help,
      errs,
      key,
      h(
        'select',
        {
          ...common,
          value: text(current),
          onChange: (e: Event) => p.onChange(setAt(p.value, path, (e.target as HTMLSelectElement).value)),
        },
        [h('option', { value: '' }, '—'), ...schema.enum.map((v) => h('option', { value: v }, v))],
      ),
    );
  }
  if (schema.type === 'boolean') {
    return wrap(
      p,
      id,
      label,
      help,
      errs,
      key,
      h('input', {
        ...common,
        type: 'checkbox',
        checked: current === true,
        onChange: (e: Event) => p.onChange(setAt(p.value, path, (e.target as HTMLInputElement).checked)),
      }),
    );
  }
  const long = (schema.maxLength ?? 0) > 2000;
  const input = long
    ? h('textarea', {
        ...common,
        rows: 4,
        value: text(current),
        onInput: (e: Event) => p.onChange(setAt(p.value, path, (e.target as HTMLTextAreaElement).value)),
      })
    : h('input', {
        ...common,
        type:
          schema.format === 'date'
            ? 'date'
            : schema.type === 'integer' || schema.type === 'number'
              ? 'number'
              : 'text',
        value: text(current),
        onInput: (e: Event) => {
          const raw = (e.target as HTMLInputElement).value;
          p.onChange(
            setAt(
              p.value,
              path,
              (schema.type === 'integer' || schema.type === 'number') && raw !== '' ? Number(raw) : raw,
            ),
          );
        },
      });
  return wrap(p, id, label, help, errs, key, input);
}

function wrap(
  p: FormProps,
  id: string,
  label: string,
  help: string,
  errs: FieldError[],
  key: string,
  control: ComponentChild,
): ComponentChild {
  return h('div', { class: `field${errs.length ? ' invalid' : ''}`, key, 'data-path': key }, [
    h('label', { for: id }, label),
    control,
    h('p', { class: 'help', id: `${id}-help` }, help || '\u00a0'),
    errs.length
      ? h('p', { class: 'error', id: `${id}-error`, role: 'alert' }, errs.map((e) => e.message).join('; '))
      : null,
  ]);
}

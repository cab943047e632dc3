import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];
type ValidationMetadata = ReturnType<Lookup>[number];
type Grouped = Record<string, ValidationMetadata[]>;

const installed = new WeakSet<Storage>();

/**
 * class-validator looks up a class's rules again for every object it validates, nested ones too:
 * it filters the class's decorator metadata and walks every registered class for inherited rules
 * (`getTargetValidationMetadatas`), then groups them by property — a profile of a node at full speed
 * put that lookup among the heaviest costs of a message. The rules are fixed once the decorators
 * have run, so the lookup is kept per class and options, and the grouping per lookup; adding a rule
 * (a class declared later, a mapped type) forgets what was kept. Validation itself is unchanged:
 * the same rules, in the same order, so the same errors.
 */
export function cacheValidationMetadata(storage: Storage = getMetadataStorage()): void {
  if (installed.has(storage)) return;
  installed.add(storage);
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let byTarget = new Map<unknown, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Grouped>();

  storage.addValidationMetadata = (metadata) => {
    byTarget = new Map();
    grouped = new WeakMap();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = [
      schema === undefined ? 'u' : schema === null ? 'n' : `s${schema}`,
      always,
      strictGroups,
      groups === undefined ? 'u' : `g${groups.join('\u0001')}`,
    ].join('\u0000');
    let forTarget = byTarget.get(target);
    if (!forTarget) byTarget.set(target, (forTarget = new Map<string, ValidationMetadata[]>()));
    let found = forTarget.get(key);
    if (!found) forTarget.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
}

import {
  getNamedType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';
import { isPropertyResolver } from './property-resolvers';

/** The field nodes the query selects at `path` below the current field (through fragments). */
export function selectionsAt(info: GraphQLResolveInfo, ...path: string[]): FieldNode[] {
  const found: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined, depth: number): void => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value !== path[depth]) continue;
        if (depth === path.length - 1) found.push(s);
        else visit(s.selectionSet, depth + 1);
      } else if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet, depth);
      else visit(info.fragments[s.name.value]?.selectionSet, depth);
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet, 0);
  return found;
}

/** The object type of the field at `path` below the current field, or null (lists and non-null unwrapped). */
function typeAt(info: GraphQLResolveInfo, path: string[]): GraphQLObjectType | null {
  let type = getNamedType(info.returnType);
  for (const name of path) {
    if (!isObjectType(type)) return null;
    const field = type.getFields()[name];
    if (!field) return null;
    type = getNamedType(field.type);
  }
  return isObjectType(type) ? type : null;
}

/**
 * The names of the fields selected on the object at `path` (through fragments), when every one
 * of them is a plain property read (see `isPropertyResolver`) or named in `answered` (fields the
 * caller fills in itself, such as preloaded ones). `null` when some selected field has a resolver
 * of its own, which may read any property of its parent: then the parent must be complete.
 */
export function plainFieldsAt(info: GraphQLResolveInfo, path: string[], answered: string[] = []): string[] | null {
  const type = typeAt(info, path);
  if (!type) return null;
  const fields = type.getFields();
  const names = new Set<string>();
  const collect = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).every((s) => {
      if (s.kind === Kind.INLINE_FRAGMENT) return collect(s.selectionSet);
      if (s.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = info.fragments[s.name.value];
        return !!fragment && collect(fragment.selectionSet);
      }
      const name = s.name.value;
      if (name === '__typename' || answered.includes(name)) return true;
      const field = fields[name];
      if (!field || !isPropertyResolver(field.resolve)) return false;
      names.add(name);
      return true;
    });
  return selectionsAt(info, ...path).every((node) => collect(node.selectionSet)) ? [...names] : null;
}

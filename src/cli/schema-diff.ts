import { type DefinitionNode, Kind, parse, print } from 'graphql';

const keywords: Partial<Record<Kind, string>> = {
  [Kind.SCHEMA_DEFINITION]: 'schema',
  [Kind.OBJECT_TYPE_DEFINITION]: 'type',
  [Kind.INTERFACE_TYPE_DEFINITION]: 'interface',
  [Kind.UNION_TYPE_DEFINITION]: 'union',
  [Kind.ENUM_TYPE_DEFINITION]: 'enum',
  [Kind.INPUT_OBJECT_TYPE_DEFINITION]: 'input',
  [Kind.SCALAR_TYPE_DEFINITION]: 'scalar',
  [Kind.DIRECTIVE_DEFINITION]: 'directive @',
};

function label(def: DefinitionNode): string {
  const name = 'name' in def && def.name ? def.name.value : '';
  return `${keywords[def.kind] ?? def.kind} ${name}`.replace('@ ', '@').trim();
}

/** Top-level definitions by label (`type Query`, `enum TicketStatus`), printed without location. */
function definitions(sdl: string): Map<string, string> {
  const defs = new Map<string, string>();
  for (const def of parse(sdl, { noLocation: true }).definitions) defs.set(label(def), print(def));
  return defs;
}

/**
 * A short human summary of how two printed schemas differ: which definitions were added,
 * removed or changed. Empty when they are identical.
 */
export function describeSchemaDiff(committed: string, current: string, limit = 12): string[] {
  if (committed.trim() === current.trim()) return [];
  let before: Map<string, string>;
  try {
    before = definitions(committed);
  } catch {
    return ['~ the committed file does not parse as GraphQL SDL'];
  }
  const after = definitions(current);
  const lines: string[] = [];
  for (const [key, body] of after) {
    if (!before.has(key)) lines.push(`+ ${key} (new)`);
    else if (before.get(key) !== body) lines.push(`~ ${key} (changed)`);
  }
  for (const key of before.keys()) if (!after.has(key)) lines.push(`- ${key} (removed)`);
  if (lines.length === 0) lines.push('~ formatting or order differs');
  return lines.length > limit ? [...lines.slice(0, limit), `… and ${lines.length - limit} more`] : lines;
}

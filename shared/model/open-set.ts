/**
 * Open string sets: fields whose values this version lists but later versions may extend without
 * a schemaVersion bump (docs/report-format.md). The TypeScript type is the closed list this
 * version writes; the published JSON Schema leaves the field a plain string.
 */
import { z } from 'zod';

const openSets = new WeakSet<z.core.$ZodType>();

/** An enum of the values this version writes, published in the JSON Schema as an open string. */
export function openSet<const T extends readonly [string, ...string[]]>(values: T): z.ZodEnum<{ [K in T[number]]: K }> {
  const schema = z.enum(values);
  openSets.add(schema);
  return schema;
}

/** True when `schema` is an open set, or a copy of one that only adds metadata (`.describe()`, `.meta()`). */
export function isOpenSet(schema: z.core.$ZodType): boolean {
  for (let at: z.core.$ZodType | undefined = schema; at; at = at._zod.parent) if (openSets.has(at)) return true;
  return false;
}

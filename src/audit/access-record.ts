import { perRequest, type HubContext } from '../context';

/** The personal data one request has read so far: fields and the children they belong to. */
export interface AccessRecord {
  fields: Set<string>;
  children: Set<string>;
}

export const accessRecord = perRequest<AccessRecord>(() => ({ fields: new Set(), children: new Set() }));

/** The child a resolved object belongs to: a Child itself, or a record holding `childId`. */
function childOf(typeName: string, parent: unknown): string | undefined {
  const p = parent as { id?: unknown; childId?: unknown } | null;
  if (!p) return undefined;
  if (typeName === 'Child' || typeName === 'ChildFacts') return typeof p.id === 'string' ? p.id : undefined;
  return typeof p.childId === 'string' ? p.childId : undefined;
}

/** Notes that `Type.field` was resolved on `parent` for this request. */
export function noteRead(ctx: HubContext, typeName: string, key: string, parent: unknown): void {
  const record = accessRecord(ctx);
  record.fields.add(key);
  const child = childOf(typeName, parent);
  if (child) record.children.add(child);
}

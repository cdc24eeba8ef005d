import type { RetentionRule } from '../../audit/retention';

/** The registry's retention rules (`hub retention run`). */
export const REGISTRY_RETENTION: readonly RetentionRule[] = [
  {
    name: 'archive-adults',
    description: "A child's record is archived once the child turns 18.",
    entity: 'Child',
    select: `select id, id as child_id, json_build_object('status', status) as before from registry.child
              where status <> 'ARCHIVED' and birth_date <= ?::date - interval '18 years'`,
    apply: `update registry.child set status = 'ARCHIVED', version = version + 1, updated_at = now() where id = any(?::uuid[])`,
    after: { status: 'ARCHIVED' },
  },
  {
    // 国发〔2016〕13号 counts children under 16 (src/domain/categories.ts): on the 16th birthday the
    // child leaves LEFT_BEHIND, and stays registered for any other category (the history keeps the change).
    name: 'leave-left-behind-at-16',
    description: 'A child leaves LEFT_BEHIND on the 16th birthday.',
    entity: 'Child',
    select: `select id, id as child_id, json_build_object('categories', categories) as before from registry.child
              where 'LEFT_BEHIND' = any(categories) and birth_date <= ?::date - interval '16 years'`,
    apply: `update registry.child set categories = array_remove(categories, 'LEFT_BEHIND'), version = version + 1, updated_at = now()
             where id = any(?::uuid[])`,
    after: { leftBehind: false },
  },
  {
    name: 'remove-stale-census-uploads',
    description: 'A census file uploaded and not imported by the end of the next day is removed.',
    entity: 'CensusUpload',
    select: `select id, null as child_id, json_build_object('fileName', file_name, 'account', account) as before
               from registry.census_upload where created_at < ?::date - interval '1 day'`,
    apply: `delete from registry.census_upload where id = any(?::uuid[])`,
    after: { removed: true },
  },
];

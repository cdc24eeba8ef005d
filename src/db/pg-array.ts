/**
 * A Postgres array literal for a statement sent through MikroORM's `execute`, whose knex
 * bindings would spread a JS array into a list. Use with a cast: `= any(?::uuid[])`.
 */
export const pgArray = (values: readonly string[]) =>
  `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;

import type { ApolloArmor } from '@escape.tech/graphql-armor';

type ArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;

/** The most tokens one document may have. */
export const MAX_TOKENS = 2000;

/**
 * Limits on what one operation may ask for, sized for this schema: the deepest useful query
 * (children → edges → node → guardians → workRegion → parent → name) is 7 levels, and a full
 * 360° page of children costs about 8,000. The hub and the router apply the same ones.
 */
export const ARMOR_LIMITS: ArmorConfig = {
  maxDepth: { n: 12, ignoreIntrospection: true },
  maxAliases: { n: 15 },
  maxDirectives: { n: 20 },
  // The hub lets graphql-js count tokens while parsing (parseOptions); armor's own token
  // plugin re-parses inside an Apollo hook, which turns every syntax error into a 500.
  maxTokens: { enabled: false },
  costLimit: { maxCost: 20_000 },
  // Suggestions are hidden by hideSuggestions, which covers arguments and enum values as well.
  blockFieldSuggestion: { enabled: false },
};

/**
 * graphql-js answers a misspelt field, argument, type or enum value (in the document or in its
 * variables) with "Did you mean …?", naming what the schema has: a map of the schema for anyone
 * who may not introspect it. Outside development the sentence is dropped from every error.
 */
export const hideSuggestions = (message: string) => message.replace(/ ?Did you mean [^?]*\?/g, '');

import { audit } from './audit';
import { casework } from './casework';
import { education } from './education';
import { justice } from './justice';
import { enterprise } from './enterprise';
import { publicSecurity } from './public-security';
import { registry } from './registry';
import type { SubgraphDefinition } from './subgraph';
import { supervision } from './supervision';
import { womensFederation } from './womens-federation';
import { youthLeague } from './youth-league';

/** Every department's subgraph. Adding one: a folder, an SDL file, and a line here. */
export const SUBGRAPHS: readonly SubgraphDefinition[] = [
  registry,
  education,
  publicSecurity,
  casework,
  justice,
  youthLeague,
  womensFederation,
  enterprise,
  audit,
  supervision,
];

export function subgraphNamed(name: string): SubgraphDefinition {
  const def = SUBGRAPHS.find((s) => s.name === name);
  if (!def) throw new Error(`Unknown subgraph "${name}"; known: ${SUBGRAPHS.map((s) => s.name).join(', ')}`);
  return def;
}

/** The names of `byName`'s keys that name no subgraph (a misspelt setting). */
export const unknownSubgraphs = (byName: Record<string, unknown>): string[] =>
  Object.keys(byName).filter((name) => !SUBGRAPHS.some((s) => s.name === name));

/** A misspelt name in SUBGRAPH_URLS stops the start instead of being ignored. */
export function checkSubgraphNames(urls: Record<string, string>): void {
  const unknown = unknownSubgraphs(urls);
  if (unknown.length) {
    throw new Error(
      `SUBGRAPH_URLS names unknown subgraphs: ${unknown.join(', ')} (known: ${SUBGRAPHS.map((s) => s.name).join(', ')})`,
    );
  }
}

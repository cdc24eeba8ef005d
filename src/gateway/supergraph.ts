import fs from 'node:fs';
import path from 'node:path';
import { SCHEMA_DIR } from '../subgraphs/subgraph';

/** The committed supergraph (`npm run compose` writes it from the subgraphs' SDL files). */
export const SUPERGRAPH_FILE = path.join(SCHEMA_DIR, 'supergraph.graphql');

export function readSupergraph(): string {
  return fs.readFileSync(SUPERGRAPH_FILE, 'utf8');
}

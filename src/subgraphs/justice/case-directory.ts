import { perRequest } from '../../context';
import { existsLoader } from '../../db/loaders';
import { OpenCaseSchema } from './open-case.entity';

/**
 * What the permission layer may ask justice about children: for which of them justice has an
 * open case (the `openJusticeCase` condition of src/policy/conditions.ts). One statement for
 * every child the request asks about, through the caller's scoped entity manager.
 *
 * It is asked inside the subgraph that serves the field being unmasked (the registry, for
 * children, guardians and guardianship) and reads the justice schema there. That assumes the
 * subgraphs share one database, in process or split over HTTP against the same PostgreSQL,
 * which is the deployment today; a registry on a database of its own would have to ask the
 * justice subgraph instead.
 */
export const openJusticeCases = perRequest(({ em }) =>
  existsLoader(async (childIds) =>
    (await em.find(OpenCaseSchema, { childId: { $in: childIds } })).map((c) => c.childId),
  ),
);

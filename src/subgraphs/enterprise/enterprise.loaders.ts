import { perRequest } from '../../context';
import { manyLoader, oneLoader } from '../../db/loaders';
import { familyAssistanceOf } from './assistance-read.service';
import { WorkerSchema } from './worker.entity';

/** The enterprise subgraph's loaders for one request, reading through the caller's scoped `em`. */
export const enterpriseLoaders = perRequest(({ em }) => ({
  worker: oneLoader(
    (ids) => em.find(WorkerSchema, { id: { $in: ids } }, { fields: ['idMasked'] }),
    (w) => w.id,
  ),
  familyAssistanceOfChild: manyLoader(
    (ids) => familyAssistanceOf(em, ids),
    (r) => r.childId,
  ),
}));

import { perRequest } from '../../context';
import { oneLoader } from '../../db/loaders';
import { JointMeetingUnitSchema } from './supervision.entity';

/** The supervision subgraph's loaders for one request, reading through the caller's scoped `em`. */
export const supervisionLoaders = perRequest(({ em }) => ({
  unit: oneLoader(
    (ids) => em.find(JointMeetingUnitSchema, { id: { $in: ids } }),
    (u) => u.id,
  ),
}));

import { migrations } from '../../../migrations/education';
import type { SubgraphDefinition } from '../subgraph';
import { AbsenceSchema } from './absence.entity';
import { DropoutAlertSchema } from './dropout-alert.entity';
import { educationResolvers } from './education.resolvers';
import { EnrolmentSchema, PastEnrolmentSchema } from './enrolment.entity';
import { SchoolSchema } from './school.entity';

/** Education: schools, enrolment and its history, attendance and dropout alerts (控辍保学). */
export const education: SubgraphDefinition = {
  name: 'education',
  port: 4102,
  schema: 'education',
  migrations,
  entities: [SchoolSchema, EnrolmentSchema, PastEnrolmentSchema, AbsenceSchema, DropoutAlertSchema],
  resolvers: educationResolvers,
};

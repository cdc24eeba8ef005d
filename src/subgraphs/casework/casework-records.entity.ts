import { EntitySchema } from '@mikro-orm/core';
import type { Department } from '../../auth/principal';
import { jurisdictionFilter, regionCodeColumn } from '../../policy/jurisdiction';
import type { RiskLevel } from './protection-case.entity';

export type AssessmentDomain = 'SAFETY' | 'GUARDIANSHIP_AND_CARE' | 'PHYSICAL_HEALTH' | 'MENTAL_HEALTH' | 'SCHOOLING';
export interface DomainFinding {
  domain: AssessmentDomain;
  findings: string;
  level: RiskLevel;
}

/** The township's assessment of a handed-over case: five domains, an overall risk and a care plan. */
export interface Assessment {
  id: string;
  caseId: string;
  regionCode: string;
  domains: DomainFinding[];
  overallRisk: RiskLevel;
  carePlan: string;
  assessedAt: Date;
  assessor: string;
}

export const AssessmentSchema = new EntitySchema<Assessment>({
  name: 'Assessment',
  tableName: 'assessment',
  schema: 'casework',
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    caseId: { type: 'uuid', unique: 'assessment_case_unique' },
    regionCode: regionCodeColumn,
    domains: { type: 'json' },
    overallRisk: { type: 'string', length: 6 },
    carePlan: { type: 'text' },
    assessedAt: { type: 'Date', columnType: 'timestamptz' },
    assessor: { type: 'string', length: 100 },
  },
});

export type ReferralService =
  | 'CARE_GUIDANCE'
  | 'MEDICAL_TREATMENT'
  | 'VOLUNTEER_CARE'
  | 'FAMILY_EDUCATION_GUIDANCE'
  | 'LEGAL_AID'
  | 'SCHOOLING_SUPPORT'
  | 'HOUSEHOLD_REGISTRATION';
export type ReferralStatus = 'SENT' | 'ACCEPTED' | 'DECLINED' | 'IN_PROGRESS' | 'COMPLETED';

/** A service the care plan asks of a department. A declined referral goes back to the township. */
export interface Referral {
  id: string;
  caseId: string;
  regionCode: string;
  service: ReferralService;
  toDepartment: Department;
  note: string | null;
  status: ReferralStatus;
  declineReason: string | null;
  outcome: string | null;
  sentAt: Date;
  answeredAt: Date | null;
  completedAt: Date | null;
  version: number;
}

export const ReferralSchema = new EntitySchema<Referral>({
  name: 'Referral',
  tableName: 'referral',
  schema: 'casework',
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    caseId: { type: 'uuid' },
    regionCode: regionCodeColumn,
    service: { type: 'string', length: 30 },
    toDepartment: { type: 'string', length: 20 },
    note: { type: 'string', length: 500, nullable: true },
    status: { type: 'string', length: 12 },
    declineReason: { type: 'string', length: 500, nullable: true },
    outcome: { type: 'text', nullable: true },
    sentAt: { type: 'Date', columnType: 'timestamptz' },
    answeredAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    completedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    version: { type: 'integer', version: true },
  },
});

/** A follow-up visit by the village child director. */
export interface Visit {
  id: string;
  caseId: string;
  regionCode: string;
  visitedAt: Date;
  visitor: string;
  findings: string;
}

export const VisitSchema = new EntitySchema<Visit>({
  name: 'Visit',
  tableName: 'visit',
  schema: 'casework',
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    caseId: { type: 'uuid' },
    regionCode: regionCodeColumn,
    visitedAt: { type: 'Date', columnType: 'timestamptz' },
    visitor: { type: 'string', length: 50 },
    findings: { type: 'text' },
  },
});

export type Step = 'ACCEPT' | 'DISPATCH' | 'SECURE' | 'HAND_OVER' | 'ASSESS' | 'ANSWER_REFERRAL' | 'VISIT' | 'REVIEW';

/** A step someone owes the case, with its statutory deadline; done when the step is taken. */
export interface Task {
  id: string;
  caseId: string;
  referralId: string | null;
  regionCode: string;
  step: Step;
  department: Department;
  startedAt: Date;
  dueAt: Date;
  /** How long an overdue step waits at one level before it escalates to the next. */
  escalateSeconds: number;
  doneAt: Date | null;
  /** The highest level already told the step is overdue: 0 none, 1 township, 2 county, 3 city. */
  escalationLevel: number;
}

export const TaskSchema = new EntitySchema<Task>({
  name: 'Task',
  tableName: 'task',
  schema: 'casework',
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    caseId: { type: 'uuid' },
    referralId: { type: 'uuid', nullable: true },
    regionCode: regionCodeColumn,
    step: { type: 'string', length: 20 },
    department: { type: 'string', length: 20 },
    startedAt: { type: 'Date', columnType: 'timestamptz' },
    dueAt: { type: 'Date', columnType: 'timestamptz' },
    escalateSeconds: { type: 'integer' },
    doneAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    escalationLevel: { type: 'smallint', default: 0 },
  },
});

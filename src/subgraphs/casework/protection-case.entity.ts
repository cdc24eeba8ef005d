import { EntitySchema } from '@mikro-orm/core';
import type { Department } from '../../auth/principal';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

export type ConcernType =
  'UNATTENDED' | 'ABUSE' | 'ABANDONMENT' | 'INJURY' | 'MISSING' | 'SELF_HARM_RISK' | 'OUT_OF_SCHOOL';
export type Urgency = 'IMMEDIATE_DANGER' | 'URGENT' | 'ROUTINE';
export type CaseStatus =
  'RECEIVED' | 'ACCEPTED' | 'DISPATCHED' | 'CHILD_SAFE' | 'HANDED_TO_TOWNSHIP' | 'CLOSED' | 'NOT_SUBSTANTIATED';
export type PlacementKind =
  'RELATIVES' | 'ENTRUSTED_GUARDIAN' | 'RESCUE_STATION' | 'CHILD_WELFARE_INSTITUTION' | 'HOSPITAL' | 'OWN_HOME';
export type RiskLevel = 'LOW' | 'MEDIUM' | 'HIGH';

/**
 * A child in danger, from the mandatory report through the emergency response to the township's
 * care: one record with one version, so two desks can never move it in different directions.
 * Its region is the place of the concern, which routes it to that place's police and township.
 */
export interface ProtectionCase {
  id: string;
  /** Given to the reporter, who follows the status by it and sees nothing else of the case. */
  receiptNumber: string;
  /** The registered child, when known. */
  childId: string | null;
  /** An unregistered child: the name if known, and an approximate age. */
  childName: string | null;
  approximateAge: number | null;
  regionCode: string;
  address: string;
  concernType: ConcernType;
  urgency: Urgency;
  reportingUnit: string;
  reporterContact: string;
  reporterAccount: string;
  reporterDept: Department;
  narrative: string;
  status: CaseStatus;
  receivedAt: Date;
  updatedAt: Date;
  acceptedAt: Date | null;
  dispatchedAt: Date | null;
  childSafeAt: Date | null;
  handedOverAt: Date | null;
  closedAt: Date | null;
  placementKind: PlacementKind | null;
  placementAddress: string | null;
  placementSince: Date | null;
  /** Set by public security at hand-over, then by the township's assessment; HIGH shortens later clocks. */
  riskLevel: RiskLevel | null;
  /** Why it was closed, or why it was not substantiated. */
  outcome: string | null;
  /** Civil affairs' objection to NOT_SUBSTANTIATED, if any. */
  objection: string | null;
  version: number;
}

export const ProtectionCaseSchema = new EntitySchema<ProtectionCase>({
  name: 'ProtectionCase',
  tableName: 'protection_case',
  schema: 'casework',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex<ProtectionCase>('protection_case', 'receivedAt')],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    receiptNumber: { type: 'string', length: 24, unique: 'protection_case_receipt_unique' },
    childId: { type: 'uuid', nullable: true, index: 'protection_case_child_id_idx' },
    childName: { type: 'string', length: 50, nullable: true },
    approximateAge: { type: 'smallint', nullable: true },
    regionCode: regionCodeColumn,
    address: { type: 'string', length: 200 },
    concernType: { type: 'string', length: 20 },
    urgency: { type: 'string', length: 20 },
    reportingUnit: { type: 'string', length: 100 },
    reporterContact: { type: 'string', length: 50 },
    reporterAccount: { type: 'string' },
    reporterDept: { type: 'string', length: 20 },
    narrative: { type: 'text' },
    status: { type: 'string', length: 20 },
    receivedAt: { type: 'Date', columnType: 'timestamptz' },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
    acceptedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    dispatchedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    childSafeAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    handedOverAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    closedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    placementKind: { type: 'string', length: 30, nullable: true },
    placementAddress: { type: 'string', length: 200, nullable: true },
    placementSince: { type: 'Date', columnType: 'timestamptz', nullable: true },
    riskLevel: { type: 'string', length: 6, nullable: true },
    outcome: { type: 'text', nullable: true },
    objection: { type: 'text', nullable: true },
    version: { type: 'integer', version: true },
  },
});

/** One entry of a case's timeline: what happened, when, and which department did it. */
export interface CaseEvent {
  id: string;
  caseId: string;
  regionCode: string;
  at: Date;
  kind: string;
  actorDept: Department;
  actorAccount: string;
  detail: string | null;
}

export const CaseEventSchema = new EntitySchema<CaseEvent>({
  name: 'CaseEvent',
  tableName: 'case_event',
  schema: 'casework',
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    caseId: { type: 'uuid' },
    regionCode: regionCodeColumn,
    at: { type: 'Date', columnType: 'timestamptz' },
    kind: { type: 'string', length: 30 },
    actorDept: { type: 'string', length: 20 },
    actorAccount: { type: 'string' },
    detail: { type: 'string', length: 500, nullable: true },
  },
});

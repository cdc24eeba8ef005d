import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Resolver types generated from each subgraph's SDL (`npm run codegen`): the SDL is the
 * contract, so a renamed or retyped field breaks the build, not production. Mappers name the
 * objects our resolvers really receive as parents (entities, references).
 */
const REGION_REF = '../references#RegionRef';

const subgraphs: Record<string, Record<string, string>> = {
  registry: {
    Child: './child.entity#Child',
    ChildFacts: './child.entity#Child',
    Guardian: './guardian.entity#Guardian',
    GuardianFacts: './facts.service#GuardianFactsRow',
    Guardianship: './guardianship.entity#Guardianship',
    Region: REGION_REF,
    ChildConnection: './child.service#ChildConnection',
    CensusImport: './census.service#CensusImportView',
    CensusChange: './census.entity#CensusChange',
  },
  education: {
    Child: '../references#ChildRef',
    Enrolment: './enrolment.entity#EnrolmentRecord',
    Region: REGION_REF,
    School: './school.entity#School',
    Absence: './absence.entity#Absence',
    DropoutAlert: './dropout-alert.entity#DropoutAlert',
    DropoutAlertConnection: './dropout.service#DropoutAlertConnection',
  },
  audit: {
    AuditEvent: './audit-event.entity#AuditEvent',
    EmergencyGrant: './emergency-grant.entity#EmergencyGrant',
    Region: REGION_REF,
  },
  'public-security': {
    Child: '../references#ChildRef',
    HouseholdRegistration: './household-registration.entity#HouseholdRegistration',
    HouseholdRegistrationConnection: './security.service#HouseholdRegistrationConnection',
    PoliceStation: './police-station.entity#PoliceStation',
    Region: REGION_REF,
  },
  casework: {
    Child: '../references#ChildRef',
    Region: REGION_REF,
    ProtectionCase: './protection-case.entity#ProtectionCase',
    ProtectionCaseConnection: './casework-read.service#ProtectionCaseConnection',
    ConcernReceipt: './protection-case.entity#ProtectionCase',
    CaseEvent: './protection-case.entity#CaseEvent',
    Assessment: './casework-records.entity#Assessment',
    Referral: './casework-records.entity#Referral',
    ReferralConnection: './casework-read.service#ReferralConnection',
    Visit: './casework-records.entity#Visit',
    Task: './casework-records.entity#Task',
    TaskConnection: './casework-read.service#TaskConnection',
    Deadline: './deadlines#Deadline',
    Notification: './notifications#Notification',
    NotificationConnection: './notifications#NotificationConnection',
    Webhook: './webhooks#Webhook',
    WebhookDelivery: './webhooks#WebhookDelivery',
  },
  justice: {
    Child: '../references#ChildRef',
    Guardian: '../references#GuardianRef',
    LegalAidCase: './legal-aid-case.entity#LegalAidCase',
    GuardianshipProceeding: './guardianship-proceeding.entity#GuardianshipProceeding',
    AccountabilityRecord: './accountability-record.entity#AccountabilityRecord',
    LegalAidCaseConnection: './justice.service#LegalAidCaseConnection',
    GuardianshipProceedingConnection: './justice.service#GuardianshipProceedingConnection',
  },
  'youth-league': {
    Child: '../references#ChildRef',
    Region: REGION_REF,
    Volunteer: './volunteer.entity#Volunteer',
    CarePairing: './care-pairing.entity#CarePairing',
    Activity: './activity.entity#Activity',
    VolunteerConnection: './youth.service#VolunteerConnection',
    ActivityConnection: './youth.service#ActivityConnection',
  },
  'womens-federation': {
    Region: REGION_REF,
    GuidanceSession: './guidance-session.entity#GuidanceSession',
    GuidanceAttendee: './guidance-session.entity#GuidanceAttendee',
    ChildrensHome: './childrens-home.entity#ChildrensHome',
    GuidanceSessionConnection: './women.service#GuidanceSessionConnection',
  },
  enterprise: {
    Child: '../references#ChildRef',
    Region: REGION_REF,
    Enterprise: './enterprise.entity#Enterprise',
    AssistanceReport: './assistance-report.entity#AssistanceReport',
    AssistanceReportConnection: './assistance-read.service#AssistanceReportConnection',
    AssistanceReceipt: './assistance.service#Receipt',
    AssistanceBatchAccepted: './assistance.service#BatchAccepted',
    AssistanceBatchRejected: './assistance.service#BatchRejected',
    FamilyAssistance: './assistance-read.service#FamilyAssistanceRow',
  },
  supervision: {
    Region: REGION_REF,
    Child: '../references#ChildRef',
    ConflictTask: './supervision.entity#ConflictTask',
    ProvincialImplementation: './supervision.entity#ProvincialImplementation',
    JointMeetingUnit: './supervision.entity#JointMeetingUnit',
    WorkPoint: './supervision.entity#WorkPoint',
    RegionFigures: '../region-figures#FiguresKey',
    MonthFigures: '../region-figures#MonthKey',
  },
};

const config: CodegenConfig = {
  overwrite: true,
  generates: Object.fromEntries(
    Object.entries(subgraphs).map(([name, mappers]) => [
      `src/subgraphs/${name}/${name}.generated.ts`,
      {
        schema: `schema/${name}.graphql`,
        plugins: [
          { add: { content: '/* Generated by npm run codegen from the SDL. Do not edit. */' } },
          'typescript',
          'typescript-resolvers',
        ],
        config: {
          federation: true,
          contextType: '../../context#HubContext',
          enumsAsTypes: true,
          mapperTypeSuffix: 'Model',
          useTypeImports: true,
          scalars: { Date: 'string', DateTime: 'Date | string' },
          mappers,
        },
      },
    ]),
  ),
};

export default config;

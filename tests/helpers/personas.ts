import type { Department, Role } from '../../src/auth/principal';

/** Real regions of Datong county (Qinghai) used throughout the tests. */
export const REGIONS = {
  province: '63',
  county: '630121',
  townshipA: '630121101', // 城关镇
  villageA: '630121101200', // 西关村委会
  townshipB: '630121102', // 塔尔镇
  villageB: '630121102200', // 塔尔湾村委会
  otherCounty: '630123',
  otherCountyVillage: '630123100001',
} as const;

/** Unified social credit codes (GB 32100) of two enterprises of Datong county. */
export const ENTERPRISES = {
  a: '91630121MA7XYW123P',
  b: '91630121MA7XYQ4568',
} as const;

export interface Persona {
  dept: Department;
  region: string;
  roles: Role[];
  enterprise?: string;
}

const rw: Role[] = ['reader', 'writer'];

/** One service account per department and level, as departmental systems would hold them. */
export const PERSONAS = {
  civilCounty: { dept: 'CIVIL_AFFAIRS', region: REGIONS.county, roles: rw },
  civilTownshipA: { dept: 'CIVIL_AFFAIRS', region: REGIONS.townshipA, roles: rw },
  civilTownshipB: { dept: 'CIVIL_AFFAIRS', region: REGIONS.townshipB, roles: rw },
  civilOtherCounty: { dept: 'CIVIL_AFFAIRS', region: REGIONS.otherCounty, roles: rw },
  civilReadOnly: { dept: 'CIVIL_AFFAIRS', region: REGIONS.county, roles: ['reader'] },
  educationCounty: { dept: 'EDUCATION', region: REGIONS.county, roles: rw },
  educationTownshipB: { dept: 'EDUCATION', region: REGIONS.townshipB, roles: rw },
  policeCounty: { dept: 'PUBLIC_SECURITY', region: REGIONS.county, roles: rw },
  policeOtherCounty: { dept: 'PUBLIC_SECURITY', region: REGIONS.otherCounty, roles: rw },
  /** A school's reporting account: it may report and follow its receipts, and read nothing. */
  schoolReporter: { dept: 'EDUCATION', region: REGIONS.townshipA, roles: ['reporter'] },
  justiceCounty: { dept: 'JUSTICE', region: REGIONS.county, roles: rw },
  youthCounty: { dept: 'YOUTH_LEAGUE', region: REGIONS.county, roles: rw },
  womenCounty: { dept: 'WOMENS_FEDERATION', region: REGIONS.county, roles: rw },
  enterprise: { dept: 'ENTERPRISE', region: REGIONS.county, roles: rw, enterprise: ENTERPRISES.a },
  enterpriseB: { dept: 'ENTERPRISE', region: REGIONS.county, roles: rw, enterprise: ENTERPRISES.b },
  supervisionProvince: { dept: 'SUPERVISION', region: REGIONS.province, roles: ['reader'] },
  auditorProvince: { dept: 'SUPERVISION', region: REGIONS.province, roles: ['reader', 'auditor'] },
  auditorOtherCounty: { dept: 'SUPERVISION', region: REGIONS.otherCounty, roles: ['reader', 'auditor'] },
} satisfies Record<string, Persona>;

export type PersonaName = keyof typeof PERSONAS;

import type { LedgerRecord } from '../../src/subgraphs/registry/census-ledger';
import type { TestHub } from './hub';
import type { Persona, PersonaName } from './personas';

const REGISTER = `mutation($input: RegisterChildInput!) { registerChild(input: $input) { id } }`;
const ADD_GUARDIAN = `mutation($input: AddGuardianInput!) { addGuardian(input: $input) { id } }`;
const SET_GUARDIANSHIP = `mutation($input: SetGuardianshipInput!) { setGuardianship(input: $input) { kind } }`;

/** Children registered at once: enough to overlap the round trips, few enough for a loaded machine. */
const AT_ONCE = 6;

async function ok<T>(hub: TestHub, who: PersonaName | Persona, query: string, input: Record<string, unknown>) {
  const res = await hub.gql<Record<string, T>>(who, query, { input });
  if (!res.data || res.errors) throw new Error(`${query}: ${JSON.stringify(res.errors)}`);
  return Object.values(res.data)[0];
}

const text = (value: string | undefined) => (value?.trim() ? value : undefined);

async function registerRecord(hub: TestHub, who: PersonaName | Persona, r: LedgerRecord): Promise<string> {
  const parents = (['FATHER', 'MOTHER'] as const).map((relation) => {
    const parent = relation === 'FATHER' ? 'father' : 'mother';
    const away = r[`${parent}_working_away`] === 'Y';
    return {
      relation,
      name: r[`${parent}_name`],
      idNumber: text(r[`${parent}_id_number`]),
      phone: text(r[`${parent}_phone`]),
      custodian: !away,
      workingAway: away,
      workRegionCode: away ? text(r[`${parent}_work_region`]) : undefined,
      employer: text(r[`${parent}_employer`]),
      guardianshipCapacity: text(r[`${parent}_capacity`]),
      incapacityReason: text(r[`${parent}_incapacity_reason`]),
    };
  });
  const { id } = await ok<{ id: string }>(hub, who, REGISTER, {
    name: r.name,
    gender: r.gender,
    birthDate: r.birth_date,
    idNumber: r.id_number,
    categories: r.categories!.split(';'),
    distressReasons: text(r.distress_reasons)?.split(';') ?? [],
    householdRegionCode: r.household_region,
    householdType: text(r.household_type),
    residenceRegionCode: r.residence_region,
    guardians: parents,
  });
  const since = r.guardianship_since!;
  if (r.guardianship === 'ENTRUSTED') {
    const entrusted = await ok<{ id: string }>(hub, who, ADD_GUARDIAN, {
      childId: id,
      relation: r.entrusted_relation,
      name: r.entrusted_name,
      idNumber: text(r.entrusted_id_number),
      phone: text(r.entrusted_phone),
      custodian: true,
    });
    await ok(hub, who, SET_GUARDIANSHIP, {
      childId: id,
      kind: 'ENTRUSTED',
      since,
      entrustedGuardianId: entrusted.id,
      agreementDate: since,
      contactObligations: '每周电话联系',
    });
  } else if (r.guardianship === 'GOVERNMENT_TEMPORARY') {
    await ok(hub, who, SET_GUARDIANSHIP, { childId: id, kind: 'GOVERNMENT_TEMPORARY', since, agency: r.agency });
  } else {
    await ok(hub, who, SET_GUARDIANSHIP, { childId: id, kind: 'PARENTS', since });
  }
  return id;
}

/**
 * Registers the children of census ledger records through the registry's own API (the child,
 * its parents, an entrusted guardian, the arrangement), as an import of the ledger records
 * them; returns the children's ids by identity number.
 */
export async function registerLedger(
  hub: TestHub,
  who: PersonaName | Persona,
  records: readonly LedgerRecord[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let i = 0; i < records.length; i += AT_ONCE) {
    const batch = records.slice(i, i + AT_ONCE);
    const registered = await Promise.all(batch.map((r) => registerRecord(hub, who, r)));
    batch.forEach((r, n) => ids.set(r.id_number!, registered[n]));
  }
  return ids;
}

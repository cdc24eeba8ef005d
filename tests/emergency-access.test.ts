import { registerChild, startTestHub, type TestHub, IN_DISTRESS } from './helpers/hub';
import { REGIONS } from './helpers/personas';

let hub: TestHub;
let childId: string;
let otherChildId: string;

beforeAll(async () => {
  hub = await startTestHub();
  // In distress: registered without guardians; the guardians added below are their only ones.
  childId = (await registerChild(hub, IN_DISTRESS)).id;
  otherChildId = (await registerChild(hub, IN_DISTRESS)).id;
  for (const id of [childId, otherChildId]) {
    const res = await hub.gql(
      'civilCounty',
      `mutation($input: AddGuardianInput!) { addGuardian(input: $input) { id } }`,
      {
        input: { childId: id, relation: 'GRANDPARENT', name: '马奶奶', phone: '13912345678', custodian: true },
      },
    );
    expect(res.errors).toBeUndefined();
  }
});
afterAll(() => hub.close());

const EMERGENCY = { purpose: 'EMERGENCY_RESPONSE' };
const REQUEST = `mutation($input: RequestEmergencyAccessInput!) {
  requestEmergencyAccess(input: $input) { id childId department unit { code } expiresAt active overdue }
}`;
const GRANTS = `query($unreviewedOnly: Boolean) {
  emergencyAccessGrants(unreviewedOnly: $unreviewedOnly) { id department reason active overdue reviewer justified }
}`;
const REVIEW = `mutation($input: ReviewEmergencyAccessInput!) { reviewEmergencyAccess(input: $input) { id justified reviewer } }`;
const EDUCATION_VIEW = `query($id: ID!) { child(id: $id) { idNumber residenceRegion { code } guardians { phone } } }`;
const YOUTH_VIEW = `query($id: ID!) { child(id: $id) { name guardians { relation name phone } } }`;

/** Moves a grant `hoursAgo` into the past, in the audit service's record and in the registry's copy of it. */
async function expire(grantId: string, hoursAgo: number) {
  await hub.on('audit')(
    `update audit.emergency_grant set granted_at = now() - make_interval(hours => ?), expires_at = now() - make_interval(hours => ? - 1) where id = ?`,
    [hoursAgo, hoursAgo, grantId],
  );
  await hub.on('registry')(
    `update registry.emergency_grant set expires_at = now() - make_interval(hours => ? - 1) where id = ?`,
    [hoursAgo, grantId],
  );
}

describe('education breaks the glass for one child', () => {
  let grantId: string;

  test('before: identity masked, residence cut to the township', async () => {
    const res = await hub.gql('educationCounty', EDUCATION_VIEW, { id: childId }, EMERGENCY);
    expect(res.data?.child.idNumber).toMatch(/\*{8}/);
    expect(res.data?.child.residenceRegion.code).toBe(REGIONS.townshipA);
    expect(res.data?.child.guardians[0].phone).toBe('139****5678');
  });

  test('the grant lifts that child to full, and no other child', async () => {
    const req = await hub.gql(
      'educationCounty',
      REQUEST,
      { input: { childId, reason: 'Child missing since morning; school must reach the grandmother' } },
      EMERGENCY,
    );
    expect(req.errors).toBeUndefined();
    await hub.settle(); // the registry learns of the grant from the audit service's event
    expect(req.data?.requestEmergencyAccess).toMatchObject({ childId, department: 'EDUCATION', active: true });
    grantId = req.data!.requestEmergencyAccess.id;
    const hours = (Date.parse(req.data!.requestEmergencyAccess.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(2.9);
    expect(hours).toBeLessThanOrEqual(3);

    const elevated = await hub.gql('educationCounty', EDUCATION_VIEW, { id: childId }, EMERGENCY);
    expect(elevated.errors).toBeUndefined();
    expect(elevated.data?.child.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(elevated.data?.child.residenceRegion.code).toBe(REGIONS.villageA);
    expect(elevated.data?.child.guardians[0].phone).toBe('13912345678');

    const other = await hub.gql('educationCounty', EDUCATION_VIEW, { id: otherChildId }, EMERGENCY);
    expect(other.data?.child.idNumber).toMatch(/\*{8}/);
    expect(await hub.count('audit.event', `kind = 'WRITE' and payload like '%EmergencyGrant%'`)).toBe(1);
  });

  test('it expires, and then shows up unreviewed for the owning civil-affairs unit, overdue once the review is late', async () => {
    await expire(grantId, 4);
    const after = await hub.gql('educationCounty', EDUCATION_VIEW, { id: childId }, EMERGENCY);
    expect(after.data?.child.idNumber).toMatch(/\*{8}/);

    const listed = await hub.gql('civilTownshipA', GRANTS, {});
    expect(listed.data?.emergencyAccessGrants).toEqual([
      expect.objectContaining({ id: grantId, department: 'EDUCATION', active: false, overdue: false, reviewer: null }),
    ]);
    await expire(grantId, 24 * 3);
    const late = await hub.gql('civilCounty', GRANTS, {});
    expect(late.data?.emergencyAccessGrants[0]).toMatchObject({ id: grantId, overdue: true });
    expect((await hub.gql('civilTownshipB', GRANTS, {})).data?.emergencyAccessGrants).toEqual([]);
  });

  test('civil affairs reviews it once; the reviewed grant leaves the unreviewed list', async () => {
    const outside = await hub.gql('civilOtherCounty', REVIEW, {
      input: { id: grantId, justified: true, note: '核实' },
    });
    expect(outside.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const review = await hub.gql('civilCounty', REVIEW, {
      input: { id: grantId, justified: true, note: 'The child was found at a relative’s; access was needed' },
    });
    expect(review.errors).toBeUndefined();
    expect(review.data?.reviewEmergencyAccess).toMatchObject({
      justified: true,
      reviewer: 'test-civil_affairs-630121',
    });
    const again = await hub.gql('civilCounty', REVIEW, { input: { id: grantId, justified: false, note: 'again' } });
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await hub.gql('civilCounty', GRANTS, {})).data?.emergencyAccessGrants).toEqual([]);
    const all = await hub.gql('civilCounty', GRANTS, { unreviewedOnly: false });
    expect(all.data?.emergencyAccessGrants).toHaveLength(1);
  });
});

test('the youth league sees a child’s guardians only under a grant', async () => {
  const before = await hub.gql('youthCounty', YOUTH_VIEW, { id: otherChildId }, EMERGENCY);
  expect(before.data?.child.guardians ?? null).toBeNull();
  expect(before.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const req = await hub.gql(
    'youthCounty',
    REQUEST,
    {
      input: {
        childId: otherChildId,
        reason: 'Volunteer found the child alone at night; calling the guardian',
        hours: 1,
      },
    },
    EMERGENCY,
  );
  expect(req.errors).toBeUndefined();
  await hub.settle();
  const after = await hub.gql('youthCounty', YOUTH_VIEW, { id: otherChildId }, EMERGENCY);
  expect(after.errors).toBeUndefined();
  expect(after.data?.child.guardians).toEqual([{ relation: 'GRANDPARENT', name: '马奶奶', phone: '13912345678' }]);
});

test('bad requests are refused and nothing is granted', async () => {
  const before = await hub.count('audit.emergency_grant');
  const cases: [string, Record<string, unknown>, string][] = [
    ['educationCounty', { childId, reason: 'urgent' }, 'BAD_USER_INPUT'],
    ['educationCounty', { childId, reason: 'A long enough reason here', hours: 4 }, 'BAD_USER_INPUT'],
    ['educationCounty', { childId: 'not-an-id', reason: 'A long enough reason here' }, 'BAD_USER_INPUT'],
    ['policeCounty', { childId, reason: 'A long enough reason here' }, 'FORBIDDEN'],
    ['civilCounty', { childId, reason: 'A long enough reason here' }, 'FORBIDDEN'],
    ['enterprise', { childId, reason: 'A long enough reason here' }, 'FORBIDDEN'],
  ];
  for (const [persona, input, code] of cases) {
    const res = await hub.gql(persona as never, REQUEST, { input }, EMERGENCY);
    expect([persona, res.errors?.[0].extensions?.code]).toEqual([persona, code]);
  }
  const outside = await hub.gql(
    { dept: 'EDUCATION', region: REGIONS.otherCounty, roles: ['reader'] },
    REQUEST,
    { input: { childId, reason: 'A long enough reason here' } },
    EMERGENCY,
  );
  expect(outside.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  expect(await hub.count('audit.emergency_grant')).toBe(before);
  const reviewOwn = await hub.gql('educationCounty', GRANTS, {});
  expect(reviewOwn.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

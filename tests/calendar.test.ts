import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { calendarEndWarning, loadCalendars, workingCalendar } from '../src/calendar/calendars';
import { ConfigError } from '../src/config';
import { startTestHub, type GraphQLResponse, type TestHub } from './helpers/hub';
import { REGIONS, type PersonaName } from './helpers/personas';

/** The 2023 notice, as an operator would add a year the hub does not ship (国办发明电〔2022〕16号). */
const NOTICE_2023 = {
  year: 2023,
  title: '国务院办公厅关于2023年部分节假日安排的通知',
  number: '国办发明电〔2022〕16号',
  issued: '2022-12-08',
  holidays: [
    { name: '元旦', from: '2022-12-31', to: '2023-01-02' },
    { name: '春节', from: '2023-01-21', to: '2023-01-27', workdays: ['2023-01-28', '2023-01-29'] },
    { name: '清明节', from: '2023-04-05', to: '2023-04-05' },
    { name: '劳动节', from: '2023-04-29', to: '2023-05-03', workdays: ['2023-04-23', '2023-05-06'] },
    { name: '端午节', from: '2023-06-22', to: '2023-06-24', workdays: ['2023-06-25'] },
    { name: '中秋节、国庆节', from: '2023-09-29', to: '2023-10-06', workdays: ['2023-10-07', '2023-10-08'] },
  ],
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calendar-'));
const file = (name: string, content: unknown) => {
  const at = path.join(dir, name);
  fs.writeFileSync(at, JSON.stringify(content));
  return at;
};
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const problems = (load: () => unknown) => {
  try {
    load();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('loaded');
};

describe('China’s working days, from the State Council General Office’s notices', () => {
  const calendar = workingCalendar();

  test('public holidays are not working days, the make-up weekend days of the same notice are', () => {
    expect(calendar.years).toEqual(expect.arrayContaining([2025, 2026]));
    // National Day and Mid-Autumn 2025: 1 to 8 October off; Sunday 28 September and Saturday 11 October worked.
    for (const day of ['2025-10-01', '2025-10-06', '2025-10-08'])
      expect([day, calendar.isWorkingDay(day)]).toEqual([day, false]);
    for (const day of ['2025-09-28', '2025-10-11', '2025-10-09'])
      expect([day, calendar.isWorkingDay(day)]).toEqual([day, true]);
    expect(calendar.holidayOn('2026-02-17')).toBe('春节');
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true); // a Saturday
    expect(calendar.isWorkingDay('2026-03-01')).toBe(false); // a Sunday
    expect(calendar.isWorkingDay('2026-03-02')).toBe(true);
  });

  test('working days are counted in China Standard Time, keeping the time of day', () => {
    // 30 September 2025, 10:00 in China: the 9th, the 10th and the make-up Saturday the 11th.
    expect(calendar.addWorkingDays(new Date('2025-09-30T02:00:00Z'), 3).toISOString()).toBe('2025-10-11T02:00:00.000Z');
    // Friday 6 March 2026, 23:30 in China, 15:30 UTC: one working day later is Monday, at 23:30 in China.
    expect(calendar.addWorkingDays(new Date('2026-03-06T15:30:00Z'), 1).toISOString()).toBe('2026-03-09T15:30:00.000Z');
  });

  test('a date in a year without a notice is refused, not guessed', () => {
    expect(() => calendar.isWorkingDay('2027-01-04')).toThrow(/no official data for 2027/);
    expect(() => calendar.addWorkingDays(new Date('2026-12-30T02:00:00Z'), 3)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'CALENDAR_MISSING' }) }),
    );
  });

  test('the hub says, two months ahead, when the calendar runs out', () => {
    const last = `${Math.max(...calendar.years)}`;
    expect(calendar.lastDay).toBe(`${last}-12-31`);
    // Days are China's: 31 December at 23:30 there is 15:30 UTC; 16:30 UTC is already the next day.
    expect(calendar.daysLeft(new Date(`${last}-12-31T15:30:00Z`))).toBe(1);
    expect(calendar.daysLeft(new Date(`${last}-12-31T16:30:00Z`))).toBe(0);
    expect(calendar.daysLeft(new Date(`${last}-11-01T02:00:00Z`))).toBe(61);

    expect(calendarEndWarning(calendar, new Date(`${last}-10-31T02:00:00Z`))).toBeUndefined();
    expect(calendarEndWarning(calendar, new Date(`${last}-11-02T02:00:00Z`))).toBe(
      `The working calendar ends on ${last}-12-31 (60 days left, today counted): working-day deadlines and ` +
        `school days after it are refused (CALENDAR_MISSING) until the State Council General Office's notice for ` +
        `${Number(last) + 1} is added (WORKING_CALENDAR_FILE)`,
    );
    expect(calendarEndWarning(calendar, new Date(`${Number(last) + 1}-01-05T02:00:00Z`))).toMatch(
      new RegExp(`^The working calendar ended on ${last}-12-31: `),
    );
  });

  test('WORKING_CALENDAR_FILE adds a year from its notice', () => {
    const added = loadCalendars({ working: file('2023.json', { notices: [NOTICE_2023] }) }).working;
    expect(added.years).toEqual(expect.arrayContaining([2023, 2025, 2026]));
    expect(added.isWorkingDay('2023-01-28')).toBe(true); // a Saturday after the Spring Festival
    expect(added.holidayOn('2023-10-02')).toBe('中秋节、国庆节');
    expect(added.addWorkingDays(new Date('2023-09-28T02:00:00Z'), 1).toISOString()).toBe('2023-10-07T02:00:00.000Z');
    // The shipped years are still there; without the file, 2023 is not.
    expect(added.isWorkingDay('2025-10-01')).toBe(false);
    expect(() => workingCalendar().isWorkingDay('2023-01-28')).toThrow(/no official data for 2023/);
  });

  test('a file that is not a notice stops the start, naming the variable and the problem', () => {
    const weekday = {
      ...NOTICE_2023,
      holidays: [{ name: '元旦', from: '2023-01-01', to: '2023-01-02', workdays: ['2023-01-04'] }],
    };
    expect(problems(() => loadCalendars({ working: file('weekday.json', { notices: [weekday] }) }))).toEqual([
      expect.stringMatching(
        /^WORKING_CALENDAR_FILE: .*weekday\.json: notices\.0\.holidays\.0\.workdays: a make-up working day is a Saturday or a Sunday$/,
      ),
    ]);
    const impossible = { ...NOTICE_2023, holidays: [{ name: '元旦', from: '2023-02-30', to: '2023-03-01' }] };
    expect(problems(() => loadCalendars({ working: file('impossible.json', { notices: [impossible] }) }))[0]).toMatch(
      /notices\.0\.holidays\.0\.from: is not a date of the calendar/,
    );
    expect(
      problems(() => loadCalendars({ working: file('twice.json', { notices: [NOTICE_2023, NOTICE_2023] }) }))[0],
    ).toMatch(/one notice per year/);
    expect(problems(() => loadCalendars({ working: path.join(dir, 'missing.json') }))[0]).toMatch(
      /^WORKING_CALENDAR_FILE: cannot read/,
    );
  });
});

describe('school days: working days outside the province’s vacations', () => {
  const { school } = loadCalendars();

  test('Qinghai by default: a holiday and the vacations are closed, a make-up working day is a school day', () => {
    expect(school.closedOn('2025-10-01', REGIONS.villageA)).toBe('a public holiday (国庆节、中秋节)');
    expect(school.isSchoolDay('2025-09-28', REGIONS.villageA)).toBe(true);
    expect(school.closedOn('2025-08-01', REGIONS.villageA)).toBe('in the school vacation (暑假)');
    // A make-up Saturday in the winter vacation is no school day.
    expect(school.closedOn('2026-02-14', REGIONS.villageA)).toBe('in the school vacation (寒假)');
    expect(school.closedOn('2026-03-07', REGIONS.villageA)).toBe('a weekend day that is not a make-up school day');
    expect(school.isSchoolDay('2026-03-02', REGIONS.villageA)).toBe(true);
  });

  test('SCHOOL_CALENDAR_FILE sets a province’s vacations, by the year or once', () => {
    const configured = loadCalendars({
      school: file('school.json', {
        provinces: {
          '63': {
            vacations: [
              { name: '寒假', from: '2026-01-24', to: '2026-03-01' },
              { name: '暑假', from: '07-11', to: '08-25' },
            ],
          },
          '11': { vacations: [{ name: '寒假', from: '12-30', to: '01-02' }] },
        },
      }),
    }).school;
    expect(configured.isSchoolDay('2026-01-20', REGIONS.villageA)).toBe(true);
    expect(configured.vacationOn('2026-02-27', REGIONS.villageA)).toBe('寒假');
    expect(configured.isSchoolDay('2026-08-27', REGIONS.villageA)).toBe(true);
    // A vacation over the new year.
    expect(configured.vacationOn('2025-12-31', '110105')).toBe('寒假');
    expect(configured.vacationOn('2026-01-02', '110105')).toBe('寒假');
    expect(configured.vacationOn('2026-01-05', '110105')).toBeUndefined();
    const bad = { provinces: { '6301': { vacations: [{ name: '暑假', from: '07-11', to: '2026-08-25' }] } } };
    expect(problems(() => loadCalendars({ school: file('bad.json', bad) }))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SCHOOL_CALENDAR_FILE: .*provinces\.6301: must be a province code, two digits$/),
      ]),
    );
  });
});

describe('statutory clocks on the working calendar', () => {
  let now = new Date('2026-11-02T02:00:00Z');
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ clock: { now: () => now } });
  });
  afterAll(() => hub.close());

  const step = (name: string, input: string) =>
    `mutation($input: ${input}!) { ${name}(input: $input) { id status version } }`;
  async function ok(who: PersonaName, query: string, input: Record<string, unknown>) {
    const res = await hub.gql(who, query, { input });
    if (res.errors) throw new Error(`${who}: ${JSON.stringify(res.errors)}`);
    return Object.values(res.data!)[0] as { id: string; version: number };
  }
  const dueOfAnswer = async (caseId: string) => {
    const res = await hub.gql(
      'civilTownshipA',
      `query($id: ID!) { protectionCase(id: $id) { tasks { step dueAt } } }`,
      {
        id: caseId,
      },
    );
    return res.data!.protectionCase.tasks.find((t: { step: string }) => t.step === 'ANSWER_REFERRAL')?.dueAt;
  };

  /** A case the township has assessed at low risk on `at`, ready to be referred; its id and version. */
  async function assessedOn(at: string) {
    now = new Date(at);
    const { id: receipt } = await ok(
      'schoolReporter',
      `mutation($input: ReportConcernInput!) { reportConcern(input: $input) { id: receiptNumber } }`,
      {
        childName: '马小明',
        concernType: 'UNATTENDED',
        urgency: 'ROUTINE',
        regionCode: REGIONS.villageA,
        address: '西关村三社',
        reportingUnit: '城关镇中心小学',
        reporterContact: '0971-5551234',
        narrative: '无人照看',
      },
    );
    const [{ id: caseId }] = await hub.on('casework')(
      `select id from casework.protection_case where receipt_number = ?`,
      [receipt],
    );
    let { version } = await ok('policeCounty', step('acceptReport', 'CaseStepInput'), { caseId, version: 1 });
    ({ version } = await ok('policeCounty', step('dispatchResponse', 'CaseStepInput'), { caseId, version }));
    ({ version } = await ok('policeCounty', step('recordChildSafe', 'RecordChildSafeInput'), {
      caseId,
      version,
      placementKind: 'OWN_HOME',
      placementAddress: '西关村三社',
    }));
    ({ version } = await ok('policeCounty', step('handToTownship', 'HandToTownshipInput'), {
      caseId,
      version,
      riskLevel: 'LOW',
    }));
    const domains = ['SAFETY', 'GUARDIANSHIP_AND_CARE', 'PHYSICAL_HEALTH', 'MENTAL_HEALTH', 'SCHOOLING'].map(
      (domain) => ({ domain, findings: '正常', level: 'LOW' }),
    );
    ({ version } = await ok('civilTownshipA', step('assessCase', 'AssessCaseInput'), {
      caseId,
      version,
      domains,
      carePlan: '志愿者关爱',
      assessor: '督导员',
    }));
    return { caseId, version };
  }
  const refer = (c: { caseId: string; version: number }) =>
    hub.gql('civilTownshipA', step('referCase', 'ReferCaseInput'), { input: { ...c, service: 'VOLUNTEER_CARE' } });
  const overdue = async () => {
    const res: GraphQLResponse = await hub.gql(
      'civilTownshipA',
      `query($r: ID!) { overdueTasks(regionCode: $r) { edges { node { step } } } }`,
      { r: REGIONS.townshipA },
    );
    return res.data!.overdueTasks.edges.some((e: { node: { step: string } }) => e.node.step === 'ANSWER_REFERRAL');
  };

  test('three working days from the day before National Day end after the holiday, not in it', async () => {
    // Tuesday 30 September 2025, 10:00 in China; 1 to 8 October are the holiday.
    const c = await assessedOn('2025-09-30T02:00:00Z');
    expect((await refer(c)).errors).toBeUndefined();
    expect(await dueOfAnswer(c.caseId)).toBe('2025-10-11T02:00:00.000Z');
    // Monday to Friday would have made it due on Friday the 3rd: on the Thursday after the holiday it is not late.
    now = new Date('2025-10-09T02:00:00Z');
    expect(await overdue()).toBe(false);
    now = new Date('2025-10-11T02:00:01Z');
    expect(await overdue()).toBe(true);
  });

  test('three working days from before a make-up Saturday count that Saturday', async () => {
    // Wednesday 25 February 2026: Thursday, Friday, and Saturday the 28th, worked for the Spring Festival.
    const c = await assessedOn('2026-02-25T02:00:00Z');
    expect((await refer(c)).errors).toBeUndefined();
    expect(await dueOfAnswer(c.caseId)).toBe('2026-02-28T02:00:00.000Z');
  });

  test('a deadline that falls in a year without a notice is refused, and nothing is written', async () => {
    // Wednesday 30 December 2026: the third working day would be in 2027, which the calendar does not know.
    const c = await assessedOn('2026-12-30T02:00:00Z');
    const before = await hub.count('casework.referral');
    const res = await refer(c);
    expect(res.errors![0].extensions).toMatchObject({ code: 'CALENDAR_MISSING' });
    expect(res.errors![0].message).toMatch(/no official data for 2027/);
    expect(await hub.count('casework.referral')).toBe(before);
    expect(await dueOfAnswer(c.caseId)).toBeUndefined();
    const { version } = (
      await hub.gql('civilTownshipA', `query($id: ID!) { protectionCase(id: $id) { version } }`, { id: c.caseId })
    ).data!.protectionCase;
    expect(version).toBe(c.version);
  });
});

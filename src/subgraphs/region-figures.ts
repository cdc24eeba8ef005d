import DataLoader from 'dataloader';
import { perRequest, type HubContext } from '../context';
import { badInput, forbidden } from '../errors';
import { jurisdictionPattern } from '../policy/jurisdiction';
import { isWithin, parentOf, REGION_CODE_PATTERN } from '../regions/region-code';

/**
 * Region statistics across departments. Supervision's `regionStatistics` returns the total and
 * the parts of a view as `RegionFigures` references (region code, period, and the region whose
 * view shows them), `statisticsTrend` its months as `MonthFigures` references; each department
 * resolves the figures it keeps from its own records, with the caller's jurisdiction in its
 * SQL. A department counts a whole family (the regions of the level below the viewed region,
 * and their total) in one statement, however many parts are shown, and suppresses its small
 * cells among them: outside civil affairs, a cell of 1 to 4 children is null, and where one part
 * has the only small cell of a figure, the next smallest cell of that figure too (or the total
 * minus the others would give it back). Suppression works figure by figure, so each department
 * can do it for its own.
 */

/** Cells below this many children are suppressed outside civil affairs. */
export const SMALL_CELL = 5;
/** A trend shows at most this many months. */
export const MAX_MONTHS = 36;

const NEXT_LEVEL: Record<number, number> = { 2: 4, 4: 6, 6: 9, 9: 12, 12: 12 };
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A count of 1 to 4 children: suppressed outside civil affairs. */
export const isSmall = (n: number) => n > 0 && n < SMALL_CELL;

/** The first day (YYYY-MM-DD) of `value`, a month (YYYY-MM). */
export function monthStart(field: string, value: string): string {
  if (!MONTH.test(value)) throw badInput(field, `"${value}" is not a month (YYYY-MM)`);
  return `${value}-01`;
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** A region code the caller may see figures of. */
export function checkRegion(ctx: HubContext, field: string, code: string): void {
  if (!REGION_CODE_PATTERN.test(code)) throw badInput(field, `"${code}" is not a GB/T 2260 region code`);
  if (!isWithin(ctx.principal.region, code)) throw forbidden(`Region ${code} is outside your jurisdiction`);
}

/** Whether counts of children are suppressed for the caller: outside civil affairs. */
export const suppressedFor = (ctx: HubContext) => ctx.principal.dept !== 'CIVIL_AFFAIRS';

/** A `RegionFigures` reference: region `code`'s figures for `period`, as the view of region `within` shows them. */
export interface FiguresKey {
  code: string;
  period: string;
  within: string;
}

/** A `MonthFigures` reference. */
export interface MonthKey {
  code: string;
  month: string;
}

/** What a department counts for one view: the regions of the level below `within`, in `period`. */
export interface Family {
  within: string;
  period: string;
  /** The period's first day and the next month's (YYYY-MM-DD). */
  start: string;
  end: string;
  /** The length of the parts' codes: rows are grouped by `left(region_code, partLength)`. */
  partLength: number;
  /** `within%`: with `mine`, what every row counted must match. */
  prefix: string;
  /** The caller's jurisdiction as a LIKE pattern. */
  mine: string;
}

/** A count column of a row (integers come back as numbers, bigints and sums as strings); 0 when absent. */
export const num = (v: unknown) => Number(v ?? 0);

/** A statement's row: `grp` names the part (or month) it counts, null for the whole. */
export type Row = Record<string, unknown>;

/** Which of a department's counts are cells of children (suppressed when small), by name. */
export type Cells<C> = Record<string, (c: C) => number>;

/** How a cell is shown: its count, or null where suppressed. */
export type Shown = (cell: string) => number | null;

interface FiguresSpec<C, F> {
  /** The counts of one row; of `{}`, those of a region without rows. */
  countsOf(row: Row): C;
  cells: Cells<C>;
  /** What the caller sees of counts `c`; `suppressed` says whether small counts are hidden. */
  present(c: C, shown: Shown, suppressed: boolean): F;
}

export interface RegionFiguresSpec<C, F> extends FiguresSpec<C, F> {
  /**
   * The one statement counting a whole family: a row per part (`grp` its code) and one for the
   * whole (`grp` null), as `group by grouping sets ((1), ())` gives them.
   */
  sql(family: Family, ctx: HubContext): [text: string, params: unknown[]];
}

/** The months of one region's trend: `months` consecutive, oldest first, from `start` to `end` (YYYY-MM-DD). */
export interface Trend {
  code: string;
  months: string[];
  start: string;
  end: string;
  prefix: string;
  mine: string;
}

export interface TrendSpec<C, F> extends FiguresSpec<C, F> {
  /** Counts by month, in one statement. */
  count(ctx: HubContext, trend: Trend): Promise<Map<string, C>>;
}

/** Runs one read statement on the department's own database, as the caller's scoped `em`. */
export const rows = (ctx: HubContext, text: string, params: unknown[]): Promise<Row[]> =>
  ctx.em.getConnection().execute(text, params, 'all');

/**
 * Secondary suppression: where one part has the only small cell of a figure and the total is
 * shown, the next smallest non-zero cell of that figure is hidden too. The cells to hide beyond
 * the small ones, by part.
 */
function secondary<C>(cells: Cells<C>, parts: Map<string, C>): Map<string, Set<string>> {
  const hidden = new Map<string, Set<string>>();
  const entries = [...parts];
  for (const [name, get] of Object.entries(cells)) {
    const primary = entries.filter(([, c]) => isSmall(get(c)));
    if (primary.length !== 1) continue;
    const others = entries.filter(([, c]) => get(c) > 0 && !isSmall(get(c)));
    if (!others.length) continue;
    const [code] = others.reduce((a, b) => (get(b[1]) < get(a[1]) ? b : a));
    hidden.set(code, (hidden.get(code) ?? new Set()).add(name));
  }
  return hidden;
}

function presenter<C, F>(spec: FiguresSpec<C, F>, suppressed: boolean) {
  return (c: C, hidden = new Set<string>()): F => {
    const shown: Shown = (name) => {
      const n = spec.cells[name](c);
      return suppressed && (isSmall(n) || hidden.has(name)) ? null : n;
    };
    return spec.present(c, shown, suppressed);
  };
}

function checkKey(ctx: HubContext, { code, period, within }: FiguresKey): Family {
  checkRegion(ctx, 'within', within);
  if (!REGION_CODE_PATTERN.test(code) || (code !== within && parentOf(code) !== within)) {
    throw badInput('code', `"${code}" is neither ${within} nor a region of the level below it`);
  }
  const start = monthStart('period', period);
  const end = `${nextMonth(period)}-01`;
  const mine = jurisdictionPattern(ctx.em);
  return { within, period, start, end, partLength: NEXT_LEVEL[within.length], prefix: `${within}%`, mine };
}

/**
 * A department's `RegionFigures`, resolved from their references. The references of one family
 * (a view's total and its parts, which a gateway may send in one call or several) are counted by
 * one statement per request.
 */
export function regionFigures<C, F>(spec: RegionFiguresSpec<C, F>) {
  const families = perRequest(() => new Map<string, Promise<(key: FiguresKey) => F>>());
  return async (ctx: HubContext, key: FiguresKey): Promise<F & FiguresKey> => {
    const family = checkKey(ctx, key);
    const id = `${family.within}|${family.period}`;
    let figuresOf = families(ctx).get(id);
    if (!figuresOf) {
      const present = presenter(spec, suppressedFor(ctx));
      figuresOf = rows(ctx, ...spec.sql(family, ctx)).then((found) => {
        const parts = new Map<string, C>();
        let total = spec.countsOf({});
        for (const row of found) {
          if (row.grp === null) total = spec.countsOf(row);
          else parts.set(String(row.grp), spec.countsOf(row));
        }
        const hidden = secondary(spec.cells, parts);
        return ({ code, within }: FiguresKey) =>
          code === within ? present(total) : present(parts.get(code) ?? spec.countsOf({}), hidden.get(code));
      });
      families(ctx).set(id, figuresOf);
    }
    return { ...(await figuresOf)(key), ...key };
  };
}

/**
 * A department's `MonthFigures`, resolved from their references: the months a request asks of
 * one region are counted in one statement.
 */
export function trendFigures<C, F>(spec: TrendSpec<C, F>) {
  const loader = perRequest((ctx) => {
    const present = presenter(spec, suppressedFor(ctx));
    const byRegion = async (code: string, asked: string[]) => {
      checkRegion(ctx, 'code', code);
      asked.forEach((m) => monthStart('month', m));
      const sorted = [...asked].sort();
      const months: string[] = [];
      for (let m = sorted[0]; m <= sorted[sorted.length - 1]; m = nextMonth(m)) {
        if (months.length === MAX_MONTHS) throw badInput('month', `at most ${MAX_MONTHS} months`);
        months.push(m);
      }
      const counts = await spec.count(ctx, {
        code,
        months,
        start: `${months[0]}-01`,
        end: `${nextMonth(months[months.length - 1])}-01`,
        prefix: `${code}%`,
        mine: jurisdictionPattern(ctx.em),
      });
      return (month: string) => present(counts.get(month) ?? spec.countsOf({}));
    };
    return new DataLoader<MonthKey, F & MonthKey, string>(
      async (keys) => {
        const monthsOf = (code: string) => keys.filter((k) => k.code === code).map((k) => k.month);
        const regions = new Map(
          [...new Set(keys.map((k) => k.code))].map((code) => [code, byRegion(code, monthsOf(code))]),
        );
        return Promise.all(
          keys.map((key) =>
            regions.get(key.code)!.then(
              (figuresOf) => ({ ...figuresOf(key.month), ...key }),
              (err: Error) => err,
            ),
          ),
        );
      },
      { cacheKeyFn: ({ code, month }) => `${code}|${month}` },
    );
  });
  return (ctx: HubContext, key: MonthKey) => loader(ctx).load(key);
}

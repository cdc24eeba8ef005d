import { runStatement } from '../../db/statement';
import {
  CENSUS_IMPORTED,
  CHILD_FACTS,
  ENROLMENT_RECORDED,
  HOUSEHOLD_RECORDED,
  type CensusImported,
  type ChildFacts,
  type EnrolmentRecorded,
  type HouseholdRecorded,
} from '../../events/conflict-facts';
import type { EventHandler } from '../../events/relay';
import { detectConflicts } from './conflict.service';

/**
 * Supervision keeps, in its own tables, what the departments publish for conflict detection
 * (src/events/conflict-facts.ts): each event replaces what it says of its children. Applied in
 * the feed's transaction, exactly once per event, in the order the owner committed them.
 */

/** The registry's facts of a batch of children, and their custodians. */
const childFacts: EventHandler = async (em, payload) => {
  const { children } = payload as { children: ChildFacts[] };
  const json = JSON.stringify(children);
  const rows = `json_to_recordset($1::json) as f("childId" uuid, "regionCode" text, active boolean,
                  "awayWithoutEntrusted" boolean, schooling text, custodians text[], "categoryBreaches" text[])`;
  await runStatement(
    em,
    {
      text: `insert into supervision.child_fact (child_id, region_code, active, away_without_entrusted, schooling, category_breaches, updated_at)
             select "childId", "regionCode", active, "awayWithoutEntrusted", schooling, coalesce("categoryBreaches", '{}'), now() from ${rows}
             on conflict (child_id) do update set region_code = excluded.region_code, active = excluded.active,
               away_without_entrusted = excluded.away_without_entrusted, schooling = excluded.schooling,
               category_breaches = excluded.category_breaches, updated_at = now()`,
    },
    [json],
  );
  await runStatement(
    em,
    { text: `delete from supervision.custodian_fact where child_id in (select "childId" from ${rows})` },
    [json],
  );
  await runStatement(
    em,
    {
      text: `insert into supervision.custodian_fact (child_id, id_hash, region_code)
             select f."childId", h.id_hash, f."regionCode" from ${rows} cross join unnest(f.custodians) h(id_hash)
             on conflict do nothing`,
    },
    [json],
  );
};

const enrolmentRecorded: EventHandler = async (em, payload) => {
  const { childId, regionCode, status } = payload as unknown as EnrolmentRecorded;
  await runStatement(
    em,
    {
      text: `insert into supervision.enrolment_fact (child_id, region_code, status, updated_at) values ($1, $2, $3, now())
             on conflict (child_id) do update set region_code = excluded.region_code, status = excluded.status, updated_at = now()`,
    },
    [childId, regionCode, status],
  );
};

const householdRecorded: EventHandler = async (em, payload) => {
  const { childId, regionCode, registered } = payload as unknown as HouseholdRecorded;
  await runStatement(
    em,
    {
      text: `insert into supervision.household_fact (child_id, region_code, registered, updated_at) values ($1, $2, $3, now())
             on conflict (child_id) do update set region_code = excluded.region_code, registered = excluded.registered, updated_at = now()`,
    },
    [childId, regionCode, registered],
  );
};

/** After a census import, its region is looked at again: its facts came before this event. */
const censusImported: EventHandler = async (em, payload) => {
  const { regionCode } = payload as unknown as CensusImported;
  await detectConflicts((text, params) => runStatement(em, { text }, params), regionCode);
};

/** What supervision follows, by source subgraph and event kind. */
export const CONFLICT_FACT_EVENTS: Record<string, Record<string, EventHandler>> = {
  registry: { [CHILD_FACTS]: childFacts, [CENSUS_IMPORTED]: censusImported },
  education: { [ENROLMENT_RECORDED]: enrolmentRecorded },
  'public-security': { [HOUSEHOLD_RECORDED]: householdRecorded },
};

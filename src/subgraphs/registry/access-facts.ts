import { perRequest } from '../../context';
import { existsLoader } from '../../db/loaders';
import { runStatement } from '../../db/statement';
import type { EventHandler } from '../../events/relay';

/**
 * Facts other departments publish that widen what they see of a child in the registry (the
 * `fullWhen` conditions of src/policy/conditions.ts), kept here from their events so that the
 * registry decides from its own database: justice's open cases (`JusticeCase`) and the audit
 * service's emergency-access grants (`EmergencyAccessGranted`).
 */
export const recordJusticeCase: EventHandler = async (em, payload) => {
  const { caseId, childId, open } = payload as { caseId: string; childId: string; open: boolean };
  if (open) {
    await runStatement(
      em,
      { text: `insert into registry.justice_case (case_id, child_id) values ($1, $2) on conflict do nothing` },
      [caseId, childId],
    );
  } else await runStatement(em, { text: `delete from registry.justice_case where case_id = $1` }, [caseId]);
};

export const recordEmergencyGrant: EventHandler = async (em, payload) => {
  const { grantId, childId, account, expiresAt } = payload as Record<string, string>;
  await runStatement(
    em,
    {
      text: `insert into registry.emergency_grant (id, child_id, account, expires_at) values ($1, $2, $3, $4)
             on conflict do nothing`,
    },
    [grantId, childId, account, expiresAt],
  );
};

/** For which children justice has an open case: one statement for every child a request asks about. */
export const openJusticeCases = perRequest(({ em }) =>
  existsLoader(async (childIds) =>
    (
      await runStatement(
        em,
        { text: `select distinct child_id from registry.justice_case where child_id = any($1::uuid[])` },
        [childIds],
      )
    ).map((r) => String(r.child_id)),
  ),
);

/** For which children the calling account holds an unexpired emergency grant. */
export const activeEmergencyGrants = perRequest(({ em, principal }) =>
  existsLoader(async (childIds) =>
    (
      await runStatement(
        em,
        {
          text: `select distinct child_id from registry.emergency_grant
                  where account = $1 and child_id = any($2::uuid[]) and expires_at > $3`,
        },
        [principal.sub, childIds, new Date()],
      )
    ).map((r) => String(r.child_id)),
  ),
);

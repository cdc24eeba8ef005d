import { runStatement } from '../../db/statement';
import { followChild } from '../../events/follow-child';

/** A moved child's protection cases follow it, with every record kept under them (steps, tasks, visits…). */
export const followChildWithCases = followChild(async (em, { childId }) => ({
  case_id: (
    await runStatement(em, { text: `select id from casework.protection_case where child_id = $1` }, [childId])
  ).map((r) => String(r.id)),
}));

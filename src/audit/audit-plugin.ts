import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { RequestContext } from '../context';
import { ErrorCode } from '../errors';
import type { SubgraphRuntime } from '../subgraphs/runtime';
import { actorOf } from './audit-log';
import { setAuditActor, type AuditActor } from './audit-trail';

const operationLabel = (type: string | undefined, name: string | null | undefined) =>
  type ? `${type} ${name ?? ''}`.trim() : null;

/** Where a request's contexts live: the gateway's (one per subgraph it reached) or one subgraph's. */
export type AuditedGraph =
  { gateway: true; local: ReadonlyMap<string, SubgraphRuntime> } | { gateway: false; subgraph: SubgraphRuntime };

/** The client's operation name, which the router passes to the subgraphs (its Rust planner's operations are anonymous). */
export const OPERATION_NAME_HEADER = 'x-operation-name';

/** What a client is told when a read cannot be recorded (in either topology: src/gateway/router.ts). */
export const AUDIT_UNAVAILABLE = 'The audit log is unavailable, so no personal data can be returned; try again later';

/**
 * Records each request's personal-data reads before the response leaves: one READ event in the
 * audit chain of each subgraph whose data it read (each subgraph keeps its own; the audit
 * service copies them all). Events of concurrent requests are written together (EventWriter).
 * The audit is part of the request: when an event cannot be written, the caller gets an error
 * instead of the data. (Writes are recorded inside their own transaction: AuditTrail.)
 */
export function auditPlugin(logger: Logger, graph: AuditedGraph): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, operationName, request }) {
          const actor: AuditActor = {
            actor: actorOf(contextValue.principal),
            purpose: contextValue.purpose,
            requestId: contextValue.requestId,
            operation: operationLabel(
              operation?.operation,
              operationName ?? request.http?.headers.get(OPERATION_NAME_HEADER),
            ),
          };
          if (contextValue.kind === 'gateway') {
            contextValue.actor.current = actor;
            for (const scope of contextValue.scopes.values()) setAuditActor(scope.em, actor);
          } else setAuditActor(contextValue.em, actor);
        },
        async willSendResponse({ contextValue, response }) {
          try {
            if (contextValue.kind === 'gateway') {
              if (!graph.gateway) throw new Error('a gateway request on a subgraph served alone');
              await Promise.all(
                [...contextValue.scopes].map(([name, scope]) => graph.local.get(name)!.recordReads(scope)),
              );
            } else if (!graph.gateway) await graph.subgraph.recordReads(contextValue);
          } catch (err) {
            logger.error({ err, requestId: contextValue.requestId }, 'audit event could not be written');
            response.http.status = 503;
            response.body = {
              kind: 'single',
              singleResult: {
                errors: [
                  {
                    message: AUDIT_UNAVAILABLE,
                    extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
                  },
                ],
              },
            };
          }
        },
      };
    },
  };
}

import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { HubContext } from '../context';
import { accessRecord } from './access-record';
import type { MikroORM } from '@mikro-orm/postgresql';
import { actorOf, EventWriter } from './audit-log';
import { setAuditActor } from './audit-trail';
import { numbered, runStatement } from '../db/statement';

const operationLabel = (type: string | undefined, name: string | null | undefined) =>
  type ? `${type} ${name ?? ''}`.trim() : null;

/**
 * Records each request's personal-data reads as one READ event before the response leaves
 * (events of concurrent requests are written together: EventWriter).
 * The audit is part of the request: when the event cannot be written, the caller gets an
 * error instead of the data. (Writes are recorded inside their own transaction: AuditTrail.)
 */
export function auditPlugin(logger: Logger, orm: MikroORM): ApolloServerPlugin<HubContext> {
  // Parameters, not literals: MikroORM's execute would escape each event's payload into the SQL text.
  const writer = new EventWriter((sql, params) => runStatement(orm.em, { text: numbered(sql) }, params));
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, operationName }) {
          setAuditActor(contextValue.em, {
            actor: actorOf(contextValue.principal),
            purpose: contextValue.purpose,
            requestId: contextValue.requestId,
            operation: operationLabel(operation?.operation, operationName),
          });
        },
        async willSendResponse({ contextValue, response, operation, operationName }) {
          const record = accessRecord(contextValue);
          if (!record.fields.size) return;
          try {
            await writer.append({
              at: new Date().toISOString(),
              kind: 'READ',
              actor: actorOf(contextValue.principal),
              purpose: contextValue.purpose,
              requestId: contextValue.requestId,
              operation: operationLabel(operation?.operation, operationName),
              children: [...record.children].sort(),
              fields: [...record.fields].sort(),
              changes: [],
            });
          } catch (err) {
            logger.error({ err, requestId: contextValue.requestId }, 'audit event could not be written');
            response.http.status = 503;
            response.body = {
              kind: 'single',
              singleResult: {
                errors: [
                  {
                    message: 'The audit log is unavailable, so no personal data can be returned; try again later',
                    extensions: { code: 'INTERNAL_SERVER_ERROR' },
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

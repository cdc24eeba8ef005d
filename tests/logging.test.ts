import { Writable } from 'node:stream';
import { createLogger } from '../src/logger';
import { makeIdNumber } from '../src/domain/id-number';

const ID = makeIdNumber('630121', '2016-02-11', 3, 'MALE');
const PHONE = '13812345678';
const NAME = '马小花';
const ADDRESS = '西关村三社12号';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', stream), text: () => lines.join('') };
}

test('personal fields are censored wherever they sit in a log object', () => {
  const { logger, text } = capture();
  logger.info({ child: { name: NAME, idNumber: ID }, guardian: { phone: PHONE, address: ADDRESS } }, 'registered');
  logger.info({ request: { variables: { input: { name: NAME, idNumber: ID } } } }, 'request');
  for (const secret of [ID, PHONE, NAME, ADDRESS]) expect(text()).not.toContain(secret);
  expect(text()).toContain('[redacted]');
});

test('identity and phone numbers are scrubbed from messages and error messages', () => {
  const { logger, text } = capture();
  logger.warn(`lookup of ${ID} by ${PHONE} failed`);
  logger.error({ err: new Error(`no guardian with number ${ID} (phone ${PHONE})`) }, 'unexpected error');
  expect(text()).not.toContain(ID);
  expect(text()).not.toContain(PHONE);
  expect(text()).toContain('[id-number]');
  expect(text()).toContain('[phone]');
});

test('a database error keeps its kind and SQLSTATE but not the row it quotes', () => {
  const { logger, text } = capture();
  const err = Object.assign(
    new Error(
      `insert into "registry"."child" values ('${NAME}', '${ADDRESS}') - duplicate key value violates unique constraint`,
    ),
    { code: '23505', constraint: 'child_id_number_unique', detail: `Key (id_number)=(${ID}) already exists.` },
  );
  logger.error({ err }, 'unexpected error');
  const logged = JSON.parse(text());
  expect(logged.err).toMatchObject({
    sqlState: '23505',
    constraint: 'child_id_number_unique',
    message: '[database error]',
  });
  for (const secret of [ID, NAME, ADDRESS]) expect(text()).not.toContain(secret);
});

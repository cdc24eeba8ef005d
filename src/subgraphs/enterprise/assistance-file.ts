import type { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { excel, readTable, TableFileError, type TableFormat } from '../../files/table-file';
import { MAX_BATCH, MAX_WORKERS_PER_REPORT, type RowError } from './assistance-input';
import type { AssistanceKind } from './assistance-report.entity';
import type { AssistanceReportInput } from './enterprise.generated';

type Field = keyof AssistanceReportInput;

interface Column {
  field: Field;
  zh: string;
  required: boolean;
  /** What goes in the column, for the template's notes sheet. */
  zhNote: string;
  enNote: string;
}

/**
 * The columns of an assistance file: one row per report, the fields of `reportAssistanceBatch`'s
 * rows. A header names its column in Chinese, in English (the field's name), or both as the
 * template does (`报告编号 / clientKey`).
 */
const ASSISTANCE_COLUMNS: readonly Column[] = [
  {
    field: 'clientKey',
    zh: '报告编号',
    required: true,
    zhNote: '本企业为这份报告取的编号，唯一；重复上传同一编号不会重复记录',
    enNote: "The enterprise's own key for the report, unique; a file sent again records each key once",
  },
  {
    field: 'kind',
    zh: '帮扶类型',
    required: true,
    zhNote: '见下方类型表，填中文名称或英文代码',
    enNote: 'One of the kinds below, by Chinese name or English code',
  },
  {
    field: 'date',
    zh: '日期',
    required: true,
    zhNote: 'YYYY-MM-DD，不晚于今天',
    enNote: 'YYYY-MM-DD, not in the future',
  },
  {
    field: 'workerIdNumbers',
    zh: '职工身份证号',
    required: true,
    zhNote: `受帮扶职工的居民身份证号，1 至 ${MAX_WORKERS_PER_REPORT} 个，每行一个或用逗号、分号、顿号分隔`,
    enNote: `Resident identity numbers of the workers covered, 1 to ${MAX_WORKERS_PER_REPORT}, one per line or separated by commas or semicolons`,
  },
  {
    field: 'amount',
    zh: '金额',
    required: false,
    zhNote: '元，最多两位小数；困难帮扶必填，家长学校、现场宣讲、弹性工作休假不填',
    enNote: 'Yuan, at most two decimals; required for hardship aid, none for parent schools, lectures and leave',
  },
  { field: 'notes', zh: '备注', required: false, zhNote: '最多 500 字', enNote: 'At most 500 characters' },
];

/** The kinds of assistance by the names the 2019 guidance gives them. */
const KIND_NAMES: Readonly<Record<AssistanceKind, string>> = {
  PARENT_SCHOOL: '家长学校',
  SITE_LECTURE: '现场宣讲',
  REUNION_TRAVEL: '探亲团聚',
  HARDSHIP_AID: '困难帮扶',
  LONG_TERM_ASSISTANCE: '长效帮扶',
  FLEXIBLE_LEAVE: '弹性工作休假',
};
const KINDS = Object.keys(KIND_NAMES) as AssistanceKind[];
const KIND_LIST = KINDS.map((k) => `${KIND_NAMES[k]} (${k})`).join(', ');

const headerOf = (c: Column) => `${c.zh} / ${c.field}`;

/** The column a header names, in either language or both; undefined when it names none or several. */
function columnOf(header: string): Field | undefined {
  const parts = header
    .split('/')
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  const fields = new Set(
    parts.map((p) => ASSISTANCE_COLUMNS.find((c) => c.zh === p || c.field.toLowerCase() === p)?.field),
  );
  const [only] = fields;
  return fields.size === 1 ? only : undefined;
}

/** One bad row of a file, in the file's terms: its row number and its column as headed there. */
export interface FileRowError {
  row: number;
  column: string;
  problem: string;
}

export interface AssistanceFile {
  rows: AssistanceReportInput[];
  /** The file's row number of each of `rows`. */
  fileRows: number[];
  /** Each column's header as the file gives it, so that a problem is reported in the file's own words. */
  headers: Partial<Record<Field, string>>;
  /** Rows the mutation's types would refuse outright (an unknown kind): the file is not sent. */
  problems: FileRowError[];
}

/** Where each column is, from the header row; a file with unknown, doubled or missing columns is refused. */
function checkHeader(values: string[]): {
  at: Partial<Record<Field, number>>;
  headers: Partial<Record<Field, string>>;
} {
  const at: Partial<Record<Field, number>> = {};
  const headers: Partial<Record<Field, string>> = {};
  const problems: string[] = [];
  values.forEach((value, i) => {
    const header = value.trim();
    if (!header) return;
    const field = columnOf(header);
    if (!field) problems.push(`unknown column "${header}"`);
    else if (field in at) problems.push(`"${headers[field]}" and "${header}" are the same column`);
    else {
      at[field] = i;
      headers[field] = header;
    }
  });
  const missing = ASSISTANCE_COLUMNS.filter((c) => c.required && !(c.field in at)).map(headerOf);
  if (missing.length) problems.push(`missing columns: ${missing.join(', ')}`);
  if (problems.length) {
    const expected = ASSISTANCE_COLUMNS.map(headerOf).join(', ');
    throw new TableFileError(`${problems.join('; ')} (the columns are ${expected}; the template has them)`);
  }
  return { at, headers };
}

/** A cell of identity numbers: one per line, or separated by commas, semicolons, 、 or spaces. */
const ID_SEPARATORS = /[\s,;，；、]+/;

/**
 * Reads an assistance file, streamed, into the rows `reportAssistanceBatch` takes. Nothing is
 * checked here that the mutation checks: only what its input types would refuse for the whole
 * batch (a kind that is none of the kinds), so that such a row is reported as a row.
 */
export async function readAssistanceFile(
  source: Readable,
  format: TableFormat,
  onRow?: (rows: number) => void,
): Promise<AssistanceFile> {
  const file: AssistanceFile = { rows: [], fileRows: [], headers: {}, problems: [] };
  let at: Partial<Record<Field, number>> | null = null;
  let count = 0;
  for await (const { row, values } of readTable(source, format)) {
    if (!at) {
      ({ at, headers: file.headers } = checkHeader(values));
      continue;
    }
    count += 1;
    onRow?.(count);
    // Past the limit the rows are only counted, so that the answer can say how many there are.
    if (count > MAX_BATCH) continue;
    const cell = (field: Field) => (at![field] === undefined ? '' : (values[at![field]!] ?? '').trim());
    const given = cell('kind');
    const kind = KINDS.find((k) => k === given.toUpperCase() || KIND_NAMES[k] === given);
    if (!kind) {
      const problem = given
        ? `"${given}" is not a kind of assistance: one of ${KIND_LIST}`
        : `is required: one of ${KIND_LIST}`;
      file.problems.push({ row, column: file.headers.kind!, problem });
      continue;
    }
    file.rows.push({
      clientKey: cell('clientKey'),
      kind,
      date: cell('date'),
      workerIdNumbers: cell('workerIdNumbers').split(ID_SEPARATORS).filter(Boolean),
      amount: cell('amount') || null,
      notes: cell('notes') || null,
    });
    file.fileRows.push(row);
  }
  if (count > MAX_BATCH) {
    throw new TableFileError(
      `at most ${MAX_BATCH.toLocaleString('en-US')} rows per file, got ${count.toLocaleString('en-US')}: split it`,
    );
  }
  return file;
}

/**
 * The mutation's row errors in the file's terms: its rows are the file's rows in order, its
 * fields the file's columns, and a worker's position in the list the position in the cell.
 */
export function fileRowErrors(file: AssistanceFile, errors: readonly RowError[]): FileRowError[] {
  const fileRow = (row: number) => file.fileRows[row - 1] ?? row;
  const position = (index: string) => `number ${Number(index) + 1} in the cell`;
  return errors.map((e) => {
    const [, field, index] = /^(\w+)(?:\[(\d+)\])?$/.exec(e.field) ?? [];
    const reason = e.reason
      .replace(/\brow (\d+)/g, (_, n: string) => `row ${fileRow(Number(n))}`)
      .replace(/\bworkerIdNumbers\[(\d+)\]/g, (_, n: string) => position(n));
    return {
      row: fileRow(e.row),
      column: file.headers[field as Field] ?? e.field,
      problem: index === undefined ? reason : `${position(index)}: ${reason}`,
    };
  });
}

/**
 * The template: the columns headed in Chinese and English on the first sheet, formatted as text
 * (so that Excel keeps identity numbers and dates as typed), a list of kinds to pick from, and
 * what goes in each column on a second sheet.
 */
export async function assistanceTemplate(): Promise<Buffer> {
  const workbook = new (await excel()).Workbook();
  const sheet = workbook.addWorksheet('帮扶报告 Reports', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = ASSISTANCE_COLUMNS.map((c) => ({
    header: headerOf(c),
    key: c.field,
    width: c.field === 'workerIdNumbers' || c.field === 'notes' ? 40 : 20,
    style: { numFmt: '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  const kindColumn = sheet.getColumn('kind').letter;
  // Worksheet.dataValidations is in exceljs' model but not in its type declarations.
  (
    sheet as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }
  ).dataValidations.add(`${kindColumn}2:${kindColumn}${MAX_BATCH + 1}`, {
    type: 'list',
    allowBlank: true,
    formulae: [`"${KINDS.map((k) => KIND_NAMES[k]).join(',')}"`],
    showErrorMessage: true,
    error: `请从列表中选择 / Pick one of: ${KINDS.join(', ')}`,
  });

  const notes = workbook.addWorksheet('说明 Notes');
  notes.columns = [
    { header: '列 Column', width: 28 },
    { header: '说明', width: 60 },
    { header: 'Notes', width: 70 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const c of ASSISTANCE_COLUMNS) {
    notes.addRow([
      headerOf(c),
      `${c.required ? '必填。' : '选填。'}${c.zhNote}`,
      `${c.required ? 'Required. ' : 'Optional. '}${c.enNote}`,
    ]);
  }
  notes.addRow([]);
  notes.addRow(['帮扶类型 Kind', '中文名称', 'Code']).font = { bold: true };
  for (const k of KINDS) notes.addRow(['', KIND_NAMES[k], k]);
  notes.addRow([]);
  notes.addRow([
    '',
    `每行一份报告，每个文件最多 ${MAX_BATCH} 行。有任何一行出错时整个文件都不记录，并列出每个出错的行、列和原因。`,
    `One report per row, at most ${MAX_BATCH} rows per file. A file with any bad row records nothing and lists every bad row, column and problem.`,
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

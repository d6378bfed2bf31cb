/** OpenAPI words shared by the CSV import endpoints (institutions, incidents). */
export const CSV_BODY = { required: true, schema: { type: 'string', format: 'binary' }, description: 'The CSV file itself (Content-Type: text/csv), streamed' };
export const IMPORT_RULES =
  'The upload is received in full first (streamed to a temporary file, at most IMPORT_LIMIT_BYTES, deleted afterwards), then read and checked row by row against the committed data (no transaction held), ' +
  'and the rows to create are inserted in one short transaction at the end. `?dryRun=true` checks and reports without writing. Atomic by default: if any row is refused nothing is written ' +
  '(422 IMPORT_REFUSED, details.report has the report); `?atomic=false` imports the rows that pass. If someone creates one of the same records meanwhile, nothing is written (409 IMPORT_CONFLICT: send it again). Re-importing the same file creates nothing. ' +
  'The report counts the rows created, matched (with the existing id) and refused (with the reason) and lists the first 100 of each (spreadsheet numbering, header = row 1); ' +
  'every row is in the CSV at reportUrl (GET /imports/{id}/report.csv, for a week).';

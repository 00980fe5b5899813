// Prints the mapping's datetime results as JSON; the datetime test runs this
// under another TZ to show the results do not depend on the host zone.
import { compileText, withFields } from './compile-text.js';

const mapping = compileText(
  withFields('  t: { column: t, type: datetime }\n  d: { column: d, type: date }\n  e: { expr: "datetime(t)" }'),
  { sourceZone: 'America/Los_Angeles', targetZone: 'Asia/Shanghai' },
);
const rows = ['2024-03-10 02:30:00', '2024-11-03 01:30:00', '2024-06-18 10:00:00.000001', '2024-02-29 23:59:59.999999'];
const results = rows.map((t) => mapping.map({ id: '1', t, d: '2024-02-29' }, {}));
process.stdout.write(JSON.stringify(results));

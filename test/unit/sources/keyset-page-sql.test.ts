import { describe, expect, it } from 'vitest';

import { pageSql, type ReadShape } from '../../../connectors/sources/keyset-query.js';
import { isBound, type SqlPart } from '../../../connectors/sources/sql-text.js';

const SHAPE: ReadShape = { from: '"bench_sku"', select: '*', cursor: '"updated_at"', keys: ['"id"'] };

/** Renders parts with each bound value as `<kind:value>`, to compare SQL text. */
function render(parts: SqlPart[]): string {
  return parts.map((part) => (isBound(part) ? `<${part.kind}:${part.value}>` : part)).join('');
}

describe('keyset page SQL', () => {
  it('bounds the cursor from below after a position', () => {
    const sql = render(pageSql(SHAPE, { from: { cursor: '2025-03-01 18:00:00', key: ['5'] }, upper: '2026-01-01 00:00:00' }, 'datetime', ['number'], 1000));

    // A plain range condition on the cursor lets PostgreSQL start the index
    // scan at the position instead of filtering every earlier row.
    expect(sql).toContain('"updated_at" >= <datetime:2025-03-01 18:00:00>');
    expect(sql).toContain(
      '("updated_at" > <datetime:2025-03-01 18:00:00> OR ("updated_at" = <datetime:2025-03-01 18:00:00> AND "id" > <number:5>))',
    );
    expect(sql).toMatch(/ ORDER BY "updated_at", "id" LIMIT 1000$/);
  });

  it('has no lower bound on the first page', () => {
    const sql = render(pageSql(SHAPE, { from: null, upper: '2026-01-01 00:00:00' }, 'datetime', ['number'], 1000));

    expect(sql).not.toContain('>=');
    expect(sql).toContain('"updated_at" <= <datetime:2026-01-01 00:00:00>');
  });
});

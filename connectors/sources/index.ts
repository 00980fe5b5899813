/**
 * Public entry of connectors/sources: readers of WMS databases. Other
 * folders import from here only, so knex and driver types stay inside.
 */
export {
  createSourceReader,
  type ChildSpec,
  type CursorKind,
  type PartialDatePolicy,
  type ReadOptions,
  type ReadSnapshot,
  type ReadSpec,
  type ReadWindow,
  type ResolvedSourceConfig,
  type SourceClient,
  type SourceConfig,
  type SourceReader,
  type SourceReaderOptions,
  type ZeroDatePolicy,
} from './source-reader.js';
export { resolveSourceConfig, DEFAULT_TIMEZONE, DEFAULT_PAGE_SIZE } from './source-config.js';
export { naiveToInstant, isValidZone } from './datetime-text.js';
export type { Position, QualityIssue, RowPage, SourceRow, SourceValue, SourceWarning } from './source-types.js';

export { loadMapping, parseMapping } from './mapping-loader.js';
export { compileMapping, RECORD_KEY_SEPARATOR } from './mapping-compiler.js';
export type { CompileContext, CompiledChild, CompiledMapping, MapResult } from './mapping-compiler.js';
export { runMappingTests, DEFAULT_TEST_ZONES } from './mapping-tests.js';
export type { MappingTestOptions, MappingTestResult } from './mapping-tests.js';
export { MappingFileSchema, FieldSchema, FIELD_TYPES, ROUNDING_NAMES, BOOLEAN_RULES } from './mapping-schema.js';
export type {
  ChildMapping,
  FieldMapping,
  FieldType,
  LookupDefinition,
  MappingFile,
  MappingFileData,
  MappingOrigin,
  MappingTestCase,
} from './mapping-schema.js';
export type { MappingProblem } from './field-problems.js';
export { FUNCTION_NAMES } from './expressions.js';

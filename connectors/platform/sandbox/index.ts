export {
  type SandboxEvent,
  type SandboxHandle,
  type SandboxOptions,
  type SenderRegistration,
  startSandbox,
} from './sandbox-server.js';
export {
  type AcceptedRecord,
  type RejectedRecord,
  type SandboxStats,
  type StoredMessage,
  SandboxLedger,
} from './sandbox-ledger.js';
export {
  type FaultDecision,
  type FaultRule,
  type FaultSpec,
  type SequenceStep,
  FaultInjector,
  parseFaultRequest,
  parseFaultSpec,
} from './fault-injector.js';
export { RECORD_KEY_SEPARATOR, recordKeyOf } from './message-handler.js';
export { renderSandboxPage } from './sandbox-page.js';

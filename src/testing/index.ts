export { createLockServer } from './createLockServer'
export type {
  Fault,
  FaultInjection,
  FaultRoute,
  LockServer,
  LockServerOptions,
  LockServerUser,
  LogEndpoint,
  LogEntry,
  SimulatedContent,
  SimulatedDialect,
  SimulatedLock,
  SimulatedLockInput,
} from './types'
export { createTabNetwork } from './createTabNetwork'
export type { SimulatedTab, TabNetwork } from './createTabNetwork'

export { listenLockServer } from './listenLockServer'
export type { ListenLockServerOptions, ListeningLockServer } from './listenLockServer'
export { DEMO_CONTENT, runServerCommand } from './serverCommand'
export type { ServerCommandOutput } from './serverCommand'

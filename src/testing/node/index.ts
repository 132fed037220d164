export { listenLockServer } from './listenLockServer'
export type { ListenLockServerOptions, ListeningLockServer } from './listenLockServer'
export { DEMO_CONTENT, runServerCommand, serveUntilStopped } from './serverCommand'
export type { ServerCommandOutput } from './serverCommand'

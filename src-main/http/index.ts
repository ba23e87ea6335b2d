/**
 * Serve mode's HTTP server (REST API `/v1`, the UI bridge and
 * the built renderer) and the serve-mode entry logic. No electron import.
 */
export { startHttpServer, newAccessToken, formatOrigin, TOKEN_FORMAT } from './server'
export type { HttpServerOptions, HttpServerHandle } from './server'
export { API_BODY_LIMIT } from './api'
export { BRIDGE_BODY_LIMIT } from './bridge'
export { CSP, SECURITY_HEADERS } from './respond'
export { runServe, ServeError, parseServeArgs, defaultDataDir, listeningLine, USAGE } from './serveMode'
export type { ServeOptions, ServeHandle, ServeArgs } from './serveMode'

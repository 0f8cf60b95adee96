/** capstan's HTTP API: the Kubernetes REST API for kubectl and client libraries, and `capstan serve`. */
export { createApiHttpServer, type ApiHttpServerOptions } from './http-server.js'
export { bearerAuth } from './auth.js'
export { startServe, type ServeHandle, type ServeOptions, type ServeLog } from './start-serve.js'
export { parseListen, isLoopback, checkExposure, parseTokens, ListenError, DEFAULT_LISTEN, type ListenAddress } from './listen-address.js'

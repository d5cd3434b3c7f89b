export { ShoalServer, type ServerOptions } from './shoal-server.js';
export type { Authenticator, AuthOutcome } from './auth/authenticator.js';
export { isLoopbackHost, parseDataSize } from './http-util.js';

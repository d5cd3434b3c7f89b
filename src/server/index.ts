export { ShoalServer, type ServerOptions } from './shoal-server.js';
export { CatalogAccessRules, bindSafety, createAuthenticator, hashPassword, isLoopbackHost, type Authenticator, type AuthOutcome } from './auth/index.js';
export { loadTls } from './tls.js';
export { ARROW_STATEMENT_PATH } from './arrow-endpoint.js';

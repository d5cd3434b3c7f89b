export type { AuthOutcome, Authenticator } from './authenticator.js';
export { createAuthenticator, type AuthenticatorOptions } from './create-authenticator.js';
export { bindSafety, isLoopbackHost } from './bind-safety.js';
export { hashPassword, parsePasswordHash, verifyPassword, type HashOptions, type PasswordHash, PBKDF2_DEFAULT_ITERATIONS, BCRYPT_DEFAULT_COST } from './password-hash.js';
export { PasswordStore, parsePasswordFile } from './password-store.js';
export { TokenStore, generateToken, tokenDigest, parseTokensFile } from './token-store.js';
export { CatalogAccessRules } from './catalog-access.js';
export { credentialsOf, type Credentials } from './authorization-header.js';

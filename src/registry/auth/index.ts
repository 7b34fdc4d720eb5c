/**
 * Registry authentication: credential stores (docker config.json, credential
 * helpers, CI environment variables), WWW-Authenticate challenges, bearer
 * tokens, and the auth layer of the transport.
 */
export type { Credential, CredentialStore } from "./credentials.js";
export { chainCredentials, envCredentials, normalizeRegistryHost, staticCredentials } from "./credentials.js";

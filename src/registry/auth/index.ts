/**
 * Registry authentication: credential stores (docker config.json, credential
 * helpers, CI environment variables), WWW-Authenticate challenges, bearer
 * tokens, and the auth layer of the transport. Only the credential stores are
 * re-exported here; the rest is used inside src/registry (the transport
 * composes the auth layer) and imported from its own module.
 */
export type { Credential, CredentialStore } from "./credentials.js";
export { chainCredentials, envCredentials, staticCredentials } from "./credentials.js";
export { dockerConfigCredentials } from "./docker-config.js";
export type { DockerConfigOptions } from "./docker-config.js";
export { spawnHelper } from "./helper.js";
export type { HelperResult, HelperRunner } from "./helper.js";

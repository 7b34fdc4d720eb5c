/**
 * Registry authentication: credential stores (docker config.json, credential
 * helpers, CI environment variables), WWW-Authenticate challenges, bearer
 * tokens, and the auth layer of the transport.
 */
export type { Credential, CredentialStore } from "./credentials.js";
export {
  chainCredentials,
  envCredentials,
  normalizeRegistryHost,
  staticCredentials,
  DOCKER_HUB_CONFIG_KEY,
} from "./credentials.js";
export { dockerConfigCredentials } from "./docker-config.js";
export type { DockerConfigOptions } from "./docker-config.js";
export { getFromHelper, parseHelperOutput, spawnHelper } from "./helper.js";
export type { HelperResult, HelperRunner } from "./helper.js";
export { findChallenge, parseChallenges } from "./challenge.js";
export type { Challenge } from "./challenge.js";
export { authTransport, tokenKey } from "./authenticator.js";
export type { AuthOptions } from "./authenticator.js";
export { fetchToken } from "./token.js";
export type { BearerToken, TokenRequest } from "./token.js";

/**
 * The one place the CLI turns its globals and environment into a registry
 * client: `--insecure-registry`, `--ca-file`, `--verbose` (the request log on
 * stderr, URLs redacted, no headers), and credentials from, in order, the CI
 * environment variables (RESHIP_REGISTRY/RESHIP_USERNAME/RESHIP_PASSWORD,
 * GITHUB_TOKEN for ghcr.io) and Docker's config.json in $DOCKER_CONFIG, else
 * ~/.docker. Every command that talks to a registry builds its client here.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import {
  type CredentialStore,
  RegistryClient,
  type RequestLogEntry,
  type TransportOptions,
  chainCredentials,
  dockerConfigCredentials,
  envCredentials,
} from "../registry/index.js";
import type { CommandContext } from "./context.js";

/** Where credentials come from, for this environment. */
export function credentialsFor(env: NodeJS.ProcessEnv): CredentialStore {
  const configDir = env.DOCKER_CONFIG || join(env.HOME || homedir(), ".docker");
  return chainCredentials(envCredentials(env), dockerConfigCredentials({ configDir }));
}

function formatLogEntry(entry: RequestLogEntry): string {
  const outcome =
    entry.status !== undefined ? String(entry.status) : `failed: ${entry.error ?? "unknown error"}`;
  const attempt = entry.attempt !== undefined && entry.attempt > 1 ? ` (attempt ${entry.attempt})` : "";
  return `reship: ${entry.method} ${entry.url} ${outcome} ${entry.durationMs}ms${attempt}\n`;
}

/** Transport settings from the global flags and the environment. */
export function transportOptionsFor(ctx: CommandContext): TransportOptions {
  const { insecureRegistries, caFile, verbose } = ctx.globals;
  return {
    insecureRegistries,
    credentials: credentialsFor(ctx.env),
    ...(caFile !== undefined ? { caFile } : {}),
    ...(verbose ? { logger: (entry: RequestLogEntry) => void ctx.stderr.write(formatLogEntry(entry)) } : {}),
  };
}

/** A registry client configured from the command's context. */
export function registryClientFor(ctx: CommandContext): RegistryClient {
  return new RegistryClient({ transportOptions: transportOptionsFor(ctx) });
}

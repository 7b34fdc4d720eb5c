/**
 * Defaults of reship.yaml that code outside the schema needs, kept apart from
 * the zod schema so that using them loads no validator.
 */

/** Placeholders a version tag template may use. */
export const VERSION_PLACEHOLDERS = ["version", "major", "minor", "patch"] as const;

/** The version tags written when reship.yaml names none: 1.4.2, 1.4, 1, latest. */
export const DEFAULT_TAG_TEMPLATES = ["{{version}}", "{{major}}.{{minor}}", "{{major}}", "latest"] as const;

/** A platform as reship.yaml and --platform take it: linux/amd64, linux/arm64/v8. */
export const PLATFORM_PATTERN = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9.]+)?$/;

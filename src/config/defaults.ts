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

/** Commit tag settings (reship.yaml `commitTag`); all optional. */
export interface CommitTagSettings {
  readonly format?: string | undefined;
  readonly prefix?: string | undefined;
  readonly length?: number | undefined;
  readonly full?: boolean | undefined;
}

/**
 * The commit tag template ({{sha}}, {{shaN}}): the format, else prefix + length
 * or the full sha; by default `sha-{{sha7}}`, the form docker/metadata-action's
 * `type=sha` makes, so images pushed by existing pipelines are found.
 */
export function commitTagTemplate(settings: CommitTagSettings | undefined): string {
  if (settings?.format !== undefined) return settings.format;
  const digits = settings?.full === true ? "" : String(settings?.length ?? 7);
  return `${settings?.prefix ?? "sha-"}{{sha${digits}}}`;
}

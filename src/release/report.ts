/**
 * The release report: per image, the path taken and why, every tag with its
 * digest, the time taken, and what was avoided; and its renderings (human
 * text, the GitHub step outputs, the job summary's Markdown table). The JSON
 * form is the report object itself.
 */
import { formatBytes, formatDuration } from "../units.js";
import type { ErrorCode } from "../errors.js";
import type { Digest } from "../oci/index.js";
import type { BuildRecord } from "./build-record.js";

/**
 * written: PUT (or pushed by the build) now; unchanged: already there; planned:
 * --dry-run; held: a floating tag a newer version keeps; failed: not written;
 * conflict: a version tag that points at another image and was left alone.
 */
export type TagStatus = "written" | "unchanged" | "planned" | "held" | "failed" | "conflict";

export interface TagReport {
  /** Full reference, e.g. ghcr.io/acme/app:1.4.2. */
  readonly ref: string;
  readonly tag: string;
  readonly kind: "commit" | "version" | "floating";
  readonly status: TagStatus;
  /** What the tag points at after the release (for held tags: still points at). */
  readonly digest: Digest | undefined;
  /** What it pointed at before, when it moved. */
  readonly previous?: Digest | undefined;
  /** For a held floating tag: the newer version keeping it. */
  readonly heldBy?: string;
}

export type ImageAction = "noop" | "conflict" | "retag" | "build" | "failed";

export interface ImageReport {
  /** The image's name (its first repository). */
  readonly image: string;
  readonly action: ImageAction;
  /** Why, in words, each repository's decision and what happened after. */
  readonly reasons: readonly string[];
  /** The digest every tag now has (undefined on conflict or failure before one was known). */
  readonly digest: Digest | undefined;
  /** The commit tag looked up, e.g. sha-1a2b3c4. */
  readonly commitTag: string;
  readonly tags: readonly TagReport[];
  /** True when no build happened: an existing image was re-tagged or was already released. */
  readonly reused: boolean;
  /** Set when a retag failed: what happened then. */
  readonly fallback?: string;
  /** On a retag: the content that did not move, and the build that did not run. */
  readonly avoided?: {
    readonly blobs: number;
    readonly bytes: number;
    readonly platforms: readonly string[];
    /** The image's build as recorded when reship built it; absent when not known. */
    readonly build?: BuildRecord;
  };
  /** On a build: the builder, why it was chosen, and the build time in whole milliseconds. */
  readonly build?: { readonly builder: string; readonly reason: string; readonly durationMs: number };
  /** What went wrong without failing the release (e.g. a build record not written or not read). */
  readonly warnings?: readonly string[];
  readonly durationMs: number;
  readonly error?: { readonly code: ErrorCode; readonly message: string };
  /** The registry requests made to observe (and, with --dry-run, the writes it would make). */
  readonly requests: readonly string[];
}

export interface ReleaseReport {
  readonly mode: "release" | "build";
  readonly version: string | undefined;
  readonly commit: string;
  readonly dryRun: boolean;
  /** False when any image had a conflict or failed. */
  readonly ok: boolean;
  readonly durationMs: number;
  readonly images: readonly ImageReport[];
}

const ACTION_WORDS: Readonly<Record<ImageAction, string>> = {
  noop: "nothing to do",
  conflict: "conflict",
  retag: "re-tagged, no build",
  build: "built",
  failed: "failed",
};

const short = (d: Digest | undefined): string => (d === undefined ? "-" : d.slice(0, 19));

/**
 * What a retag avoided, in words, e.g. `3 blobs, 52.4 MiB not transferred, a
 * 41.2s build (buildah, recorded 2026-11-22T19:40:00Z)`.
 */
export function avoidedText(avoided: NonNullable<ImageReport["avoided"]>): string {
  const platforms = avoided.platforms.length > 0 ? ` across ${avoided.platforms.join(", ")}` : "";
  const build =
    avoided.build === undefined
      ? "a build (its time is not known)"
      : `a ${formatDuration(avoided.build.durationMs)} build (${avoided.build.builder}, recorded ${avoided.build.recorded})`;
  return `${avoided.blobs} blobs, ${formatBytes(avoided.bytes)} not transferred${platforms}, ${build}`;
}

/** Human text: one block per image. */
export function reportLines(report: ReleaseReport): string[] {
  const lines: string[] = [];
  const what = report.mode === "release" ? `release ${report.version ?? ""}` : "build";
  lines.push(
    `${what} of commit ${report.commit.slice(0, 12)}${report.dryRun ? " (dry run: nothing written)" : ""}`,
  );
  for (const image of report.images) {
    lines.push("");
    lines.push(
      `${image.image}: ${report.dryRun ? `would be ${ACTION_WORDS[image.action]}` : ACTION_WORDS[image.action]} in ${formatDuration(image.durationMs)}`,
    );
    for (const reason of image.reasons) lines.push(`  why: ${reason}`);
    if (image.fallback) lines.push(`  fallback: ${image.fallback}`);
    for (const tag of image.tags) {
      const moved =
        tag.previous !== undefined && tag.previous !== tag.digest ? ` (was ${short(tag.previous)})` : "";
      const held = tag.heldBy !== undefined ? ` (stays on ${tag.heldBy})` : "";
      lines.push(`  ${tag.ref} -> ${tag.digest ?? "(new build)"}  ${tag.status}${moved}${held}`);
    }
    if (image.avoided) lines.push(`  avoided: ${avoidedText(image.avoided)}`);
    if (image.build) lines.push(`  build: ${image.build.reason}, ${formatDuration(image.build.durationMs)}`);
    for (const warning of image.warnings ?? []) lines.push(`  warning: ${warning}`);
    if (image.error) lines.push(`  error: ${image.error.message}`);
    if (report.dryRun) for (const request of image.requests) lines.push(`  request: ${request}`);
  }
  lines.push("");
  lines.push(`${report.ok ? "done" : "failed"} in ${formatDuration(report.durationMs)}`);
  return lines;
}

/** GitHub step outputs: digest, tags, action, reused (of the first image; tags of all). */
export function reportOutputs(report: ReleaseReport): Record<string, string> {
  const first = report.images[0];
  const written = report.images.flatMap((i) =>
    i.tags
      .filter((t) => t.status === "written" || t.status === "unchanged" || t.status === "planned")
      .map((t) => t.ref),
  );
  return {
    digest: first?.digest ?? "",
    tags: written.join("\n"),
    action:
      report.images.length === 1
        ? (first?.action ?? "")
        : report.images.map((i) => `${i.image}=${i.action}`).join(","),
    reused: String(report.images.length > 0 && report.images.every((i) => i.reused)),
  };
}

/** The job summary: a Markdown table of every tag, and the path each image took. */
export function reportMarkdown(report: ReleaseReport): string {
  const title = report.mode === "release" ? `reship release ${report.version ?? ""}` : "reship build";
  const rows = report.images.flatMap((image) =>
    image.tags.map(
      (t) =>
        `| \`${t.ref}\` | \`${short(t.digest)}\` | ${t.status}${t.heldBy ? ` (stays on ${t.heldBy})` : ""} | ${ACTION_WORDS[image.action]} |`,
    ),
  );
  const notes = report.images.map((image) => {
    const avoided = image.avoided ? `; avoided: ${avoidedText(image.avoided)}` : "";
    const warnings = (image.warnings ?? []).map((w) => `. Warning: ${w}`).join("");
    return `- **${image.image}**: ${ACTION_WORDS[image.action]} in ${formatDuration(image.durationMs)}${avoided}. ${image.reasons.join("; ")}${image.fallback ? `. Fallback: ${image.fallback}` : ""}${warnings}${image.error ? `. Error: ${image.error.message}` : ""}`;
  });
  return [
    `### ${title} (commit \`${report.commit.slice(0, 12)}\`)${report.dryRun ? " — dry run" : ""}`,
    "",
    "| tag | digest | status | path |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    ...notes,
    "",
  ].join("\n");
}

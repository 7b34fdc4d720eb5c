import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import type { Digest } from "../oci/index.js";
import { avoidedText, reportLines, reportMarkdown } from "./report.js";
import type { ImageReport, ReleaseReport } from "./report.js";

const D = `sha256:${"d".repeat(64)}` as Digest;
const MiB = 1024 * 1024;
const RECORD = { builder: "buildah", durationMs: 41_234, recorded: "2026-11-22T19:40:00Z" };

describe("avoidedText", () => {
  const cases: { name: string; avoided: NonNullable<ImageReport["avoided"]>; expected: string }[] = [
    {
      name: "with a recorded build",
      avoided: { blobs: 3, bytes: 52.4 * MiB, platforms: [], build: RECORD },
      expected: "3 blobs, 52.4 MiB not transferred, a 41.2s build (buildah, recorded 2026-11-22T19:40:00Z)",
    },
    {
      name: "no record",
      avoided: { blobs: 2, bytes: 2048, platforms: [] },
      expected: "2 blobs, 2.0 KiB not transferred, a build (its time is not known)",
    },
    {
      name: "several platforms and a long build",
      avoided: {
        blobs: 7,
        bytes: 3 * 1024 * MiB,
        platforms: ["linux/amd64", "linux/arm64"],
        build: { ...RECORD, builder: "buildx", durationMs: 754_000 },
      },
      expected:
        "7 blobs, 3.0 GiB not transferred across linux/amd64, linux/arm64, a 12m34s build (buildx, recorded 2026-11-22T19:40:00Z)",
    },
  ];
  for (const c of cases) test(c.name, () => assert.equal(avoidedText(c.avoided), c.expected));
});

describe("report renderings of a retag", () => {
  const image: ImageReport = {
    image: "ghcr.io/acme/app",
    action: "retag",
    reasons: ["the commit image exists and its revision label matches"],
    digest: D,
    commitTag: "sha-0123456",
    tags: [{ ref: "ghcr.io/acme/app:1.0.1", tag: "1.0.1", kind: "version", status: "written", digest: D }],
    reused: true,
    avoided: { blobs: 3, bytes: 52.4 * MiB, platforms: [], build: RECORD },
    warnings: ["the build record of sha256:dd could not be read: boom"],
    durationMs: 120,
    requests: [],
  };
  const report: ReleaseReport = {
    mode: "release",
    version: "1.0.1",
    commit: "0123456789abcdef0123456789abcdef01234567",
    dryRun: false,
    ok: true,
    durationMs: 130,
    images: [image],
  };

  test("text: the avoided line and the warning", () => {
    const lines = reportLines(report);
    assert.ok(
      lines.includes(
        "  avoided: 3 blobs, 52.4 MiB not transferred, a 41.2s build (buildah, recorded 2026-11-22T19:40:00Z)",
      ),
      lines.join("\n"),
    );
    assert.ok(lines.includes("  warning: the build record of sha256:dd could not be read: boom"));
  });

  test("Markdown: the avoided build and the warning in the image's note", () => {
    const md = reportMarkdown(report);
    assert.match(
      md,
      /avoided: 3 blobs, 52\.4 MiB not transferred, a 41\.2s build \(buildah, recorded 2026-11-22T19:40:00Z\)/,
    );
    assert.match(md, /Warning: the build record of sha256:dd could not be read: boom/);
  });
});

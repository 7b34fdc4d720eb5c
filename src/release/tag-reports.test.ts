import { test } from "node:test";
import assert from "node:assert/strict";
import type { TagReport } from "./report.js";
import { inReadingOrder } from "./tag-reports.js";

test("a release's tags read commit tag, version tags, floating tags, whatever was written first", () => {
  const tag = (name: string, kind: TagReport["kind"], status: TagReport["status"]): TagReport => ({
    ref: `ghcr.io/acme/app:${name}`,
    tag: name,
    kind,
    status,
    digest: undefined,
  });
  const tags = [
    tag("1.0", "floating", "unchanged"),
    tag("latest", "floating", "unchanged"),
    tag("1.0.1", "version", "written"),
    tag("sha-1a2b3c4", "commit", "written"),
    tag("1", "floating", "written"),
  ];
  assert.deepEqual(
    inReadingOrder(tags).map((t) => t.tag),
    ["sha-1a2b3c4", "1.0.1", "1.0", "latest", "1"],
  );
});

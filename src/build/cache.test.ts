import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { isInlineCache, parseCacheSpec, registryCacheRef } from "./cache.js";

describe("parseCacheSpec", () => {
  const table: { raw: string; type: string; ref?: string; inline: boolean }[] = [
    { raw: "r.io/app:cache", type: "registry", ref: "r.io/app:cache", inline: false },
    {
      raw: "type=registry,ref=r.io/app:cache,mode=max",
      type: "registry",
      ref: "r.io/app:cache",
      inline: false,
    },
    { raw: "type=gha,scope=prod,mode=max", type: "gha", inline: false },
    { raw: "type=inline", type: "inline", inline: true },
    { raw: "ref=r.io/app:cache", type: "registry", ref: "r.io/app:cache", inline: false },
  ];
  for (const row of table) {
    test(row.raw, () => {
      const spec = parseCacheSpec(row.raw);
      assert.equal(spec.type, row.type);
      assert.equal(registryCacheRef(spec), row.ref);
      assert.equal(isInlineCache(spec), row.inline);
      assert.equal(spec.raw, row.raw);
    });
  }
  test("attributes are kept", () => {
    assert.deepEqual(parseCacheSpec("type=gha,scope=prod,mode=max").attrs, {
      type: "gha",
      scope: "prod",
      mode: "max",
    });
  });
});

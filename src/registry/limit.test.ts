import { test } from "node:test";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { createLimit } from "./limit.js";

test("never more than the limit at once, every task runs, results in order", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 5 }),
      fc.array(fc.nat(3), { maxLength: 30 }),
      async (max, ticks) => {
        const limit = createLimit(max);
        let active = 0;
        let peak = 0;
        const results = await Promise.all(
          ticks.map((n, i) =>
            limit(async () => {
              active++;
              peak = Math.max(peak, active);
              for (let t = 0; t < n; t++) await Promise.resolve();
              active--;
              return i;
            }),
          ),
        );
        assert.ok(peak <= max);
        assert.deepEqual(
          results,
          ticks.map((_, i) => i),
        );
      },
    ),
  );
});

test("a failing task frees its slot", async () => {
  const limit = createLimit(1);
  await assert.rejects(limit(() => Promise.reject(new Error("boom"))));
  assert.equal(await limit(() => Promise.resolve(7)), 7);
});

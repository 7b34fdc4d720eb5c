import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { nextLink } from "./tags.js";

describe("nextLink", () => {
  const cases: [string | undefined, string | undefined][] = [
    [undefined, undefined],
    ["", undefined],
    ['</v2/a/tags/list?n=2&last=b>; rel="next"', "/v2/a/tags/list?n=2&last=b"],
    ["</v2/a/tags/list?last=b>; rel=next", "/v2/a/tags/list?last=b"],
    ['<https://r.example/v2/a/tags/list?last=b>; rel="next"', "https://r.example/v2/a/tags/list?last=b"],
    ['</first>; rel="prev", </second>; rel="next"', "/second"],
    ['</x>; rel="prev next"', "/x"],
    ['</x>; rel="prev"', undefined],
    ['</x>; title="next"', undefined],
  ];
  for (const [header, want] of cases) test(String(header), () => assert.equal(nextLink(header), want));
});

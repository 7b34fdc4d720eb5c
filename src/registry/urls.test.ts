import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { parseRepository } from "../oci/index.js";
import { appendQuery, apiUrl, pullScope, pushScope } from "./urls.js";

describe("appendQuery keeps what the registry sent", () => {
  const cases: [string, string][] = [
    ["https://r.example/v2/a/blobs/uploads/u1", "https://r.example/v2/a/blobs/uploads/u1?digest=sha256%3Aab"],
    [
      "https://r.example/v2/a/blobs/uploads/u1?_state=AbC%2B%2F%3D%3D&x=1",
      "https://r.example/v2/a/blobs/uploads/u1?_state=AbC%2B%2F%3D%3D&x=1&digest=sha256%3Aab",
    ],
    ["https://store.example/upload?sig=a+b", "https://store.example/upload?sig=a+b&digest=sha256%3Aab"],
  ];
  for (const [input, want] of cases) {
    test(input, () => assert.equal(appendQuery(new URL(input), "digest", "sha256:ab").toString(), want));
  }
});

test("API URLs and scopes", () => {
  const repo = parseRepository("nginx");
  assert.equal(
    apiUrl(repo, "tags/list").toString(),
    "https://registry-1.docker.io/v2/library/nginx/tags/list",
  );
  assert.equal(pullScope(repo), "repository:library/nginx:pull");
  assert.equal(pushScope(parseRepository("localhost:5000/a/b")), "repository:a/b:pull,push");
});

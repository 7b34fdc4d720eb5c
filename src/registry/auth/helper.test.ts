import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { getFromHelper, parseHelperOutput } from "./helper.js";

describe("parseHelperOutput", () => {
  const cases: { name: string; exitCode: number; stdout: string; stderr?: string; want: unknown }[] = [
    {
      name: "user and secret",
      exitCode: 0,
      stdout: '{"ServerURL":"r","Username":"me","Secret":"pw"}',
      want: { username: "me", password: "pw" },
    },
    {
      name: "<token> means identity token",
      exitCode: 0,
      stdout: '{"ServerURL":"r","Username":"<token>","Secret":"rt"}',
      want: { identityToken: "rt" },
    },
    {
      name: "not found means anonymous",
      exitCode: 1,
      stdout: "credentials not found in native keychain\n",
      want: undefined,
    },
    {
      name: "empty secret means anonymous",
      exitCode: 0,
      stdout: '{"Username":"","Secret":""}',
      want: undefined,
    },
  ];
  for (const c of cases) {
    test(c.name, () =>
      assert.deepEqual(
        parseHelperOutput("test", { exitCode: c.exitCode, stdout: c.stdout, stderr: c.stderr ?? "" }),
        c.want,
      ),
    );
  }

  test("a failing helper is CREDENTIALS naming the helper, not the secret", () => {
    assert.throws(
      () =>
        parseHelperOutput("pass", {
          exitCode: 2,
          stdout: '{"Secret":"HUNTER2SECRET"}',
          stderr: "gpg: decryption failed",
        }),
      (err: Error & { code?: string }) =>
        err.code === "CREDENTIALS" &&
        err.message.includes("docker-credential-pass") &&
        !err.message.includes("HUNTER2SECRET"),
    );
  });
  test("garbage output", () => {
    assert.throws(
      () => parseHelperOutput("x", { exitCode: 0, stdout: "Secret=abc", stderr: "" }),
      /not JSON/,
    );
  });
});

describe("getFromHelper", () => {
  test("runs docker-credential-NAME get with the server URL on stdin", async () => {
    const calls: [string, readonly string[], string][] = [];
    const credential = await getFromHelper(
      "desktop",
      "https://index.docker.io/v1/",
      (command, args, input) => {
        calls.push([command, args, input]);
        return Promise.resolve({ exitCode: 0, stdout: '{"Username":"u","Secret":"s"}', stderr: "" });
      },
    );
    assert.deepEqual(calls, [["docker-credential-desktop", ["get"], "https://index.docker.io/v1/"]]);
    assert.deepEqual(credential, { username: "u", password: "s" });
  });
  test("a helper that is not installed", async () => {
    const enoent = Object.assign(new Error("spawn ENOENT"), { code: "ENOENT" });
    await assert.rejects(
      getFromHelper("nope", "r", () => Promise.reject(enoent)),
      /docker-credential-nope is not installed/,
    );
  });
  test("a helper name that is not a program name is refused", async () => {
    await assert.rejects(
      getFromHelper("../../bin/sh", "r", () => Promise.reject(new Error("must not run"))),
      /not a valid program name/,
    );
  });
});

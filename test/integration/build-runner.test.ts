/**
 * The process runner with real processes (node itself): streaming by line,
 * tails, environment layering, stdin, a missing binary, cancellation.
 */
import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { spawnRunner, TAIL_LINES } from "../../src/build/index.js";
import { isReshipError } from "../../src/errors.js";

const node = process.execPath;

describe("spawnRunner", () => {
  test("streams every line in order and keeps the last lines of each stream", async () => {
    const lines: string[] = [];
    const script = `for (let i = 1; i <= 30; i++) process.stdout.write("out " + i + "\\n"); process.stderr.write("err a\\r\\nerr b"); process.exit(3);`;
    const outcome = await spawnRunner().run(
      { command: node, args: ["-e", script] },
      { onLine: (stream, line) => lines.push(`${stream}:${line}`) },
    );
    assert.equal(outcome.exitCode, 3);
    assert.equal(lines.filter((l) => l.startsWith("stdout:")).length, 30);
    assert.deepEqual(
      lines.filter((l) => l.startsWith("stderr:")),
      ["stderr:err a", "stderr:err b"],
    );
    assert.equal(outcome.stdoutTail.length, TAIL_LINES);
    assert.equal(outcome.stdoutTail.at(-1), "out 30");
    assert.deepEqual(outcome.stderrTail, ["err a", "err b"]);
  });

  test("arguments reach the program unchanged, no shell in between", async () => {
    const tricky = ["a b", "$HOME", "`x`", "'q'", '"d"', "; echo no", ""];
    const outcome = await spawnRunner().run({
      command: node,
      args: ["-e", "process.stdout.write(JSON.stringify(process.argv.slice(1)))", ...tricky],
    });
    assert.deepEqual(JSON.parse(outcome.stdoutTail.join("")), tricky);
  });

  test("the command's variables go on top of the base environment; stdin is fed", async () => {
    const runner = spawnRunner({ env: { PATH: process.env.PATH, BASE: "runner", OVER: "runner" } });
    const script =
      "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log([process.env.BASE,process.env.OVER,process.env.IO,s].join(',')))";
    const fromRunner = await runner.run({
      command: node,
      args: ["-e", script],
      env: { OVER: "cmd" },
      stdin: "in",
    });
    assert.deepEqual(fromRunner.stdoutTail, ["runner,cmd,,in"]);
    const fromIo = await runner.run(
      { command: node, args: ["-e", script], stdin: "" },
      { env: { IO: "io", OVER: "io" } },
    );
    assert.deepEqual(fromIo.stdoutTail, [",io,io,"]);
  });

  test("a missing program is BUILDER_MISSING", async () => {
    await assert.rejects(
      spawnRunner().run({ command: "/nonexistent/reship-no-such-builder", args: [] }),
      (err: unknown) => isReshipError(err, "BUILDER_MISSING"),
    );
  });

  test("aborting stops the process and fails with BUILD", async () => {
    const controller = new AbortController();
    const running = spawnRunner().run(
      { command: node, args: ["-e", "console.log('started'); setInterval(() => {}, 1000)"] },
      {
        signal: controller.signal,
        onLine: (_s, line) => {
          if (line === "started") controller.abort();
        },
      },
    );
    await assert.rejects(
      running,
      (err: unknown) => isReshipError(err, "BUILD") && /cancelled/.test(err.message),
    );
  });
});

/**
 * A docker daemon for build tests. If one already answers (DOCKER_HOST, or the
 * default socket) it is reused and nothing is stopped. Otherwise dockerd is
 * started as root with everything of its own in a temporary directory
 * (--data-root, --exec-root, --pidfile, a unix socket), so test files running
 * side by side never share state with each other or a system daemon; no
 * iptables rules, no bridge. It is stopped by pid (SIGTERM, then SIGKILL).
 * dockerd treats 127.0.0.0/8 registries as insecure, so pushes to the test
 * registry need no configuration.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { forgetTempDir, removeOnExit, runCommand, startProcess, stopProcess, waitFor } from "./processes.js";

/** Debian's docker client; another one at /usr/local/bin/docker is not the one the tests mean. */
export const DOCKER = "/usr/bin/docker";
const DOCKERD = "/usr/sbin/dockerd";

export interface Dockerd {
  /** For DOCKER_HOST, e.g. `unix:///tmp/reship-dockerd-x/docker.sock`. */
  readonly host: string;
  /** Set when this harness started the daemon. */
  readonly pid?: number;
  /** The environment the docker client needs to reach this daemon. */
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

async function answers(env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    await runCommand(DOCKER, ["version", "--format", "{{.Server.Version}}"], { env });
    return true;
  } catch {
    return false;
  }
}

export async function ensureDockerd(): Promise<Dockerd> {
  const existing = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
  const existingEnv = { ...process.env, DOCKER_HOST: existing };
  if (await answers(existingEnv)) {
    return { host: existing, env: existingEnv, stop: () => Promise.resolve() };
  }

  const dir = await mkdtemp(join(tmpdir(), "reship-dockerd-"));
  removeOnExit(dir);
  const host = `unix://${join(dir, "docker.sock")}`;
  const env = { ...process.env, DOCKER_HOST: host };
  const logFile = join(dir, "dockerd.log");
  const daemon = startProcess(
    DOCKERD,
    [
      "--iptables=false",
      "--bridge=none",
      "--data-root",
      join(dir, "data"),
      "--exec-root",
      join(dir, "exec"),
      "--pidfile",
      join(dir, "dockerd.pid"),
      "-H",
      host,
    ],
    { logFile },
  );
  const stop = async (): Promise<void> => {
    await stopProcess(daemon.pid, 15_000);
    await rm(dir, { recursive: true, force: true });
    forgetTempDir(dir);
  };
  try {
    await waitFor(() => answers(env), {
      what: `dockerd on ${host}`,
      timeoutMs: 60_000,
      process: daemon,
      detail: () => logTail(logFile),
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { host, pid: daemon.pid, env, stop };
}

function logTail(file: string): string {
  try {
    const text = readFileSync(file, "utf8");
    return text.trim().split("\n").slice(-15).join("\n");
  } catch {
    return "(no log)";
  }
}

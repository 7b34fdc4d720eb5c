/** The machine and tool versions a result was measured with. */
import { execFileSync } from "node:child_process";
import { cpus, release, totalmem } from "node:os";

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  readonly kernel: string;
  readonly tools: Readonly<Record<string, string>>;
}

function version(command: string, args: readonly string[], pattern: RegExp): string {
  try {
    const out = execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return pattern.exec(out)?.[1] ?? out.trim().split("\n")[0] ?? "?";
  } catch {
    return "absent";
  }
}

export function describeMachine(root: string, cli: string): Machine {
  const cpuList = cpus();
  const rev = version("git", ["-C", root, "rev-parse", "--short", "HEAD"], /(\S+)/);
  return {
    cpus: cpuList.length,
    cpuModel: (cpuList[0]?.model ?? "unknown CPU").replace(/\s+/g, " ").trim(),
    memoryBytes: totalmem(),
    kernel: release(),
    tools: {
      node: process.version,
      reship: `${version(process.execPath, [cli, "--version"], /(\S+)/)} (${rev})`,
      skopeo: version("skopeo", ["--version"], /version (\S+)/),
      docker: version("/usr/bin/docker", ["--version"], /version ([^,\s]+)/),
      "docker-registry": version("docker-registry", ["--version"], /distribution (\S+)/),
    },
  };
}

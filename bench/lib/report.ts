/**
 * The benchmark's results as JSON (bench/results/latest.json) and as the
 * Markdown that is printed and kept in docs/benchmarks.md: ratios reship /
 * peer with absolute medians, every contender's spread and peak memory, the
 * requests reship made, and PASS/MISS per target of the benchmark issue.
 */
import type { Machine } from "./machine.js";
import type { Measurement } from "./measure.js";
import { formatCounts, total } from "./requests.js";

export interface Comparison {
  readonly reship: string;
  readonly peer: string;
  /** reship's median wall time over the peer's. */
  readonly ratio: number;
}

export interface TargetCheck {
  readonly caseId: string;
  readonly description: string;
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean;
}

export interface RequestLog {
  readonly contender: string;
  /** "METHOD kind" → count, for one run. */
  readonly counts: Readonly<Record<string, number>>;
}

export interface CaseResult {
  readonly id: string;
  readonly title: string;
  readonly measurements: readonly Measurement[];
  readonly comparisons: readonly Comparison[];
  readonly requests: readonly RequestLog[];
  /** Blob bytes each contender uploaded in one run (cases where that matters). */
  readonly uploadedBytes: Readonly<Record<string, number>>;
  readonly targets: readonly TargetCheck[];
  readonly notes: readonly string[];
}

export interface BenchResult {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly command: string;
  readonly runs: number;
  readonly warmup: number;
  readonly quick: boolean;
  readonly machine: Machine;
  readonly workload: readonly string[];
  readonly cases: readonly CaseResult[];
}

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(0)} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(2)} GiB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;

function ratioCell(r: number): string {
  if (!Number.isFinite(r)) return "∞";
  return r >= 1 ? `${r.toFixed(2)}` : `${r.toFixed(3)} (${(1 / r).toFixed(1)}× faster)`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
}

export function toMarkdown(result: BenchResult): string {
  const out: string[] = [];
  const m = result.machine;
  out.push(
    `Measured ${result.finishedAt.slice(0, 10)} with \`${result.command}\`: ${result.runs} timed run(s) per contender` +
      ` after ${result.warmup} warm-up run(s), contenders alternating; whole processes, medians.` +
      (result.quick ? " **Quick mode: too few runs to quote.**" : ""),
    "",
    `Machine: ${m.cpus} × ${m.cpuModel}, ${formatBytes(m.memoryBytes)} memory, Linux ${m.kernel}; ` +
      Object.entries(m.tools)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") +
      ".",
    "",
    "Workload: " + result.workload.join("; ") + ".",
    "",
    "### Ratios (reship / peer, median wall time; below 1 means reship is faster)",
    "",
    row(["case", "reship", "peer", "reship median", "peer median", "reship / peer"]),
    row(["---", "---", "---", "---:", "---:", "---:"]),
  );
  for (const c of result.cases) {
    for (const cmp of c.comparisons) {
      const a = c.measurements.find((x) => x.name === cmp.reship)!;
      const b = c.measurements.find((x) => x.name === cmp.peer)!;
      out.push(
        row([
          `${c.id}. ${c.title}`,
          cmp.reship,
          cmp.peer,
          formatMs(a.wallMs.median),
          formatMs(b.wallMs.median),
          ratioCell(cmp.ratio),
        ]),
      );
    }
  }
  out.push(
    "",
    "### Every contender (wall time median, spread min–max, peak RSS median)",
    "",
    row(["case", "contender", "median", "min – max", "peak RSS"]),
    row(["---", "---", "---:", "---:", "---:"]),
  );
  for (const c of result.cases) {
    for (const x of c.measurements) {
      out.push(
        row([
          c.id,
          x.name,
          formatMs(x.wallMs.median),
          `${formatMs(x.wallMs.min)} – ${formatMs(x.wallMs.max)}`,
          mib(x.maxRssKiB.median),
        ]),
      );
    }
  }
  const withRequests = result.cases.filter((c) => c.requests.length > 0);
  if (withRequests.length > 0) {
    out.push("", "### Requests in one run (from the registry's access log)", "");
    out.push(row(["case", "contender", "total", "by method and kind"]), row(["---", "---", "---:", "---"]));
    for (const c of withRequests) {
      for (const r of c.requests)
        out.push(row([c.id, r.contender, String(total(r.counts)), formatCounts(r.counts)]));
    }
  }
  const withBytes = result.cases.filter((c) => Object.keys(c.uploadedBytes).length > 0);
  if (withBytes.length > 0) {
    out.push("", "### Blob bytes uploaded in one run", "");
    out.push(row(["case", "contender", "uploaded"]), row(["---", "---", "---:"]));
    for (const c of withBytes) {
      for (const [name, bytes] of Object.entries(c.uploadedBytes))
        out.push(row([c.id, name, formatBytes(bytes)]));
    }
  }
  out.push("", "### Targets (issue 5)", "");
  out.push(row(["case", "target", "measured", "result"]), row(["---", "---", "---", "---"]));
  for (const c of result.cases) {
    for (const t of c.targets) {
      out.push(row([t.caseId, `${t.description}: ${t.target}`, t.measured, t.pass ? "PASS" : "**MISS**"]));
    }
  }
  const notes = result.cases.flatMap((c) => c.notes.map((n) => `- ${c.id}: ${n}`));
  if (notes.length > 0) out.push("", "Notes:", "", ...notes);
  return out.join("\n") + "\n";
}

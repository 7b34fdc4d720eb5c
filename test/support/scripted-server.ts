/**
 * A node:http server on 127.0.0.1, port 0, whose answers a test scripts: for
 * transport edge cases only (retry timing, Retry-After, redirects, dropped
 * connections), never as a stand-in registry.
 *
 * Each request is answered by the next step of the script (the last step
 * repeats when the script runs out), and recorded with its headers and body
 * so the test can assert what the client sent.
 */
import { createServer } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedResponse {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Destroy the socket instead of answering (a connection reset). */
  readonly reset?: boolean;
}

/** A step: a fixed response, or a function of the request (number counts from 0). */
export type ScriptStep =
  | ScriptedResponse
  | ((request: RecordedRequest, number: number) => ScriptedResponse | Promise<ScriptedResponse>);

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** When it arrived (Date.now()), for ordering; tests do not assert on timing. */
  readonly at: number;
}

export interface ScriptedServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly host: string;
  readonly requests: readonly RecordedRequest[];
  /** Replaces the remaining script. */
  script(steps: readonly ScriptStep[]): void;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

export function startScriptedServer(steps: readonly ScriptStep[] = []): Promise<ScriptedServer> {
  let script = [...steps];
  let last: ScriptStep = { status: 500, body: "scripted server: no step left" };
  const requests: RecordedRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      url: req.url ?? "/",
      headers: req.headers,
      body: await readBody(req),
      at: Date.now(),
    };
    const number = requests.length;
    requests.push(recorded);
    const step = script.shift() ?? last;
    last = step;
    const response = typeof step === "function" ? await step(recorded, number) : step;
    if (response.reset === true) {
      req.socket.destroy();
      return;
    }
    res.writeHead(response.status ?? 200, response.headers);
    res.end(response.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(`scripted server step failed: ${String(error)}`);
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      let stopped: Promise<void> | undefined;
      resolve({
        url: `http://127.0.0.1:${port}`,
        host: `127.0.0.1:${port}`,
        requests,
        script: (next) => {
          script = [...next];
        },
        stop: () => {
          stopped ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
          return stopped;
        },
      });
    });
  });
}

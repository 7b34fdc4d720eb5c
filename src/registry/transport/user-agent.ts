/** The user-agent layer: sets `user-agent` on every request that has none. */
import type { Transport } from "./types.js";

export function userAgentTransport(next: Transport, userAgent: string): Transport {
  return (request) =>
    next(
      request.headers?.["user-agent"] !== undefined
        ? request
        : { ...request, headers: { ...request.headers, "user-agent": userAgent } },
    );
}

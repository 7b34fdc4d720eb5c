/**
 * Registry hosts as written in references and `--insecure-registry`
 * (`host`, `host:port`, `[ipv6]:port`): which may be reached over plain HTTP.
 * Loopback hosts (localhost and *.localhost, 127.0.0.0/8, ::1) always may, as
 * dockerd treats them; any other host only when listed, with or without its
 * port (an entry without a port covers every port of that host). One rule for
 * the registry client and for the builders' pushes.
 */

/** The host part of `host` or `host:port`, IPv6 brackets removed, lower case. */
export function hostWithoutPort(host: string): string {
  const h = host.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(h);
  if (bracketed?.[1] !== undefined) return bracketed[1];
  const colon = h.indexOf(":");
  return colon >= 0 && h.lastIndexOf(":") === colon ? h.slice(0, colon) : h;
}

function isLoopbackIPv4(name: string): boolean {
  const octets = name.split(".");
  return (
    octets.length === 4 && octets[0] === "127" && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)
  );
}

/** True for localhost, *.localhost, 127.0.0.0/8 and ::1, with or without a port. */
export function isLoopback(host: string): boolean {
  const name = hostWithoutPort(host);
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    isLoopbackIPv4(name) ||
    name === "::1" ||
    name === "0:0:0:0:0:0:0:1"
  );
}

/** Whether plain HTTP is allowed for `host` (`host` or `host:port`). */
export function isInsecureRegistry(host: string, insecureRegistries: readonly string[]): boolean {
  if (isLoopback(host)) return true;
  const h = host.trim().toLowerCase();
  const name = hostWithoutPort(h);
  return insecureRegistries.some((entry) => {
    const e = entry
      .trim()
      .toLowerCase()
      .replace(/^https?:\/\//, "")
      .replace(/\/.*$/, "");
    return (
      e === h ||
      (!e.includes(":") && e === name) ||
      (e.startsWith("[") && !e.includes("]:") && e === `[${name}]`)
    );
  });
}

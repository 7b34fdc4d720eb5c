/** The executable's entry point: the only place that ends the process with a status. */
import { main } from "./main.js";

const status = await main({
  argv: process.argv.slice(2),
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
// Writes to pipes and files are synchronous here, so nothing is lost by
// exiting now; exiting does not wait for idle keep-alive sockets.
process.exit(status);

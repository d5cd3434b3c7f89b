/**
 * The CLI from the TypeScript sources, as a child process of a test: `node --import tsx test/support/cli-child.ts
 * <shoal arguments>`. Tests that must kill a real process (crash recovery) spawn this.
 */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(),
});

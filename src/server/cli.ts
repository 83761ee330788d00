/**
 * `npm run opsdeck -- <command>`: tools that need no running server.
 *   verify-pack <file.zip>   checks an audit evidence pack: every file against the manifest's
 *                            SHA-256, and the manifest against its own recorded hash.
 */
import { verifyPack } from './domains/audits/verify-pack';

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === 'verify-pack' && args.length === 1) {
    const result = await verifyPack(args[0]!);
    if (result.ok) {
      process.stdout.write(
        `OK: ${result.files} files match the manifest (manifest SHA-256 ${result.manifestSha256}).\n`,
      );
      return 0;
    }
    process.stdout.write(
      `NOT OK: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}\n`,
    );
    for (const problem of result.problems) process.stdout.write(`  ${problem.path}: ${problem.problem}\n`);
    return 1;
  }
  process.stderr.write('Usage: npm run opsdeck -- verify-pack <file.zip>\n');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);

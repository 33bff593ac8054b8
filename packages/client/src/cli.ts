import { main } from './cli/main';

// The `doitong` command. The logic is in cli/main.ts, which tests call with their own streams.
main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, environment: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);

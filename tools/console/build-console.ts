import { buildConsole, CONSOLE_OUT } from './console.bundle';

// `npm run console:build`: the officer console's bundle, into the git-ignored dist/console.
buildConsole().then(
  () => process.stdout.write(`console built into ${CONSOLE_OUT}\n`),
  (error: unknown) => {
    process.stderr.write(`console build failed: ${String(error)}\n`);
    process.exit(1);
  },
);

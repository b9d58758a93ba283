#!/usr/bin/env node
import { runCli } from './run-cli.js';

// `classifyd ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// The one place that reads the environment: defaults for --base-url and --api-key.
const env = process.env;
const code = await runCli(
  process.argv.slice(2),
  {
    baseUrl: env.CLASSIFYD_URL || 'http://127.0.0.1:8080',
    // A service in open dev mode accepts any key, but the SDK insists on one.
    apiKey: env.CLASSIFYD_API_KEY || env.LLAMA_CLOUD_API_KEY || 'classifyd-dev',
  },
  { stdout: process.stdout, stderr: process.stderr },
);
process.exitCode = code;

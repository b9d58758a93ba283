import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// After the quick start (pnpm install, pnpm build) the CLI answers from the repository root.
describe('classifyd where people look for it', () => {
  it('runs as `pnpm exec classifyd` (the root links its bin) and as `pnpm classifyd`', () => {
    const linked = execFileSync(`${REPO_ROOT}node_modules/.bin/classifyd`, ['--help'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(linked).toMatch(/Usage:\s+classifyd classify/);
    const script = execFileSync('pnpm', ['--silent', 'classifyd', '--help'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(script).toMatch(/Usage:\s+classifyd classify/);
  });
});

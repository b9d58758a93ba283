import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('is a `classifyd` on the PATH after the documented deploy and npm install -g', () => {
    const home = mkdtempSync(join(tmpdir(), 'classifyd-cli-'));
    try {
      const folder = join(home, 'classifyd-cli');
      const prefix = join(home, 'global');
      execFileSync('pnpm', ['--filter', '@classifyd/cli', 'deploy', '--prod', '--legacy', folder], {
        cwd: REPO_ROOT,
        stdio: 'pipe',
      });
      execFileSync('npm', ['install', '-g', '--prefix', prefix, folder], { stdio: 'pipe' });
      const help = execFileSync('classifyd', ['--help'], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` },
      });
      expect(help).toMatch(/Usage:\s+classifyd classify/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { parseCommand } from './args.js';

const DEFAULTS = { baseUrl: 'http://127.0.0.1:8080', apiKey: 'env-key' };
const parse = (...argv: string[]) => parseCommand(argv, DEFAULTS);

describe('classifyd examples', () => {
  it('reads add with its folder, configuration and defaults', () => {
    expect(parse('examples', 'add', '--configuration', 'cfg-1', 'teach/')).toEqual({
      kind: 'examples-add',
      configurationId: 'cfg-1',
      folder: 'teach/',
      baseUrl: 'http://127.0.0.1:8080',
      apiKey: 'env-key',
      format: undefined,
      quiet: false,
      concurrency: 4,
      timeoutSeconds: 600,
    });
    expect(
      parse(
        'examples',
        'add',
        'teach',
        '-c',
        'cfg-2',
        '--timeout',
        '30',
        '--concurrency',
        '8',
        '--format',
        'csv',
        '-q',
      ),
    ).toMatchObject({
      configurationId: 'cfg-2',
      timeoutSeconds: 30,
      concurrency: 8,
      format: 'csv',
      quiet: true,
    });
  });

  it('reads list filters: --type none means the negative examples, --status in any case', () => {
    expect(parse('examples', 'list', '-c', 'cfg-1', '--type', 'invoice', '--status', 'ready')).toMatchObject({
      kind: 'examples-list',
      type: 'invoice',
      status: 'READY',
    });
    expect(parse('examples', 'list', '-c', 'cfg-1', '--type', 'none')).toMatchObject({ type: null });
    expect(parse('examples', 'list', '-c', 'cfg-1')).toMatchObject({ type: undefined, status: undefined });
  });

  it('reads delete with ids or --all', () => {
    expect(parse('examples', 'delete', '-c', 'cfg-1', 'exm-a', 'exm-b')).toMatchObject({
      kind: 'examples-delete',
      ids: ['exm-a', 'exm-b'],
      all: false,
    });
    expect(parse('examples', 'delete', '-c', 'cfg-1', '--all')).toMatchObject({ ids: [], all: true });
  });

  it('asks for help with examples alone or -h', () => {
    expect(parse('examples')).toEqual({ kind: 'help' });
    expect(parse('examples', 'add', '-h')).toEqual({ kind: 'help' });
  });

  it.each([
    [['examples', 'teach'], /unknown examples command "teach"; use examples add, list or delete/],
    [['examples', 'add', 'teach'], /examples add needs --configuration ID/],
    [['examples', 'add', '-c', 'cfg-1'], /examples add takes one folder/],
    [['examples', 'add', '-c', 'cfg-1', 'a', 'b'], /examples add takes one folder/],
    [
      ['examples', 'list', '-c', 'cfg-1', '--status', 'done'],
      /--status "done" is not one of PENDING, READY, FAILED/,
    ],
    [['examples', 'list', '-c', 'cfg-1', '--all'], /--all does not apply to examples list/],
    [['examples', 'add', '-c', 'cfg-1', 'a', '--type', 'x'], /--type does not apply to examples add/],
    [['examples', 'delete', '-c', 'cfg-1'], /example ids \(exm-\.\.\.\) or --all, not both and not neither/],
    [['examples', 'delete', '-c', 'cfg-1', 'exm-a', '--all'], /not both and not neither/],
    [['examples', 'add', '-c', 'cfg-1', 'a', '--timeout', '0'], /--timeout "0" must be a positive number/],
    [
      ['examples', 'list', '-c', 'cfg-1', '--base-url', 'ftp://x'],
      /--base-url "ftp:\/\/x" must start with http/,
    ],
  ])('refuses %j', (argv, message) => {
    expect(() => parse(...argv)).toThrow(message);
  });
});

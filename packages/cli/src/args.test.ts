import { describe, expect, it } from 'vitest';
import { type ClassifyCommand, chooseFormat, parseCommand } from './args.js';

const DEFAULTS = { baseUrl: 'http://127.0.0.1:8080', apiKey: 'env-key' };
const parse = (...argv: string[]) => parseCommand(argv, DEFAULTS);
const classify = (...argv: string[]) => parse('classify', ...argv) as ClassifyCommand;

describe('command line', () => {
  it('asks for help with no command, help, or -h', () => {
    expect(parse()).toEqual({ kind: 'help' });
    expect(parse('help')).toEqual({ kind: 'help' });
    expect(parse('classify', 'a.pdf', '-h')).toEqual({ kind: 'help' });
  });

  it('takes defaults from the environment values it is given', () => {
    const command = classify('a.pdf', 'docs/', '--rule', 'x=yyyyyyyyyyyy');
    expect(command).toMatchObject({
      inputs: ['a.pdf', 'docs/'],
      baseUrl: 'http://127.0.0.1:8080',
      apiKey: 'env-key',
      concurrency: 4,
      timeoutSeconds: 600,
      recursive: false,
      quiet: false,
      format: undefined,
      ruleFlags: ['x=yyyyyyyyyyyy'],
    });
  });

  it('reads every option', () => {
    const command = classify(
      'a.pdf',
      ...['--rules', 'r.json', '--rule', 'a=bbbbbbbbbbbb', '--rule', 'c=dddddddddddd'],
      ...['--base-url', 'https://cls.example/', '--api-key', 'k', '--format', 'csv', '--concurrency', '8'],
      ...['--target-pages', '1,3-4', '--max-pages', '5', '--lang', 'DE', '--timeout', '2.5'],
      ...['-r', '-o', 'out.csv', '-q', '--parse-details'],
    );
    expect(command).toMatchObject({
      rulesFile: 'r.json',
      ruleFlags: ['a=bbbbbbbbbbbb', 'c=dddddddddddd'],
      baseUrl: 'https://cls.example',
      apiKey: 'k',
      format: 'csv',
      concurrency: 8,
      targetPages: '1,3-4',
      maxPages: 5,
      lang: 'de',
      timeoutSeconds: 2.5,
      recursive: true,
      output: 'out.csv',
      quiet: true,
      parseDetails: true,
    });
  });

  it.each([
    [['frobnicate', 'a.pdf'], /unknown command "frobnicate"/],
    [['classify'], /name at least one file or folder/],
    [['classify', 'a', '--colour'], /Unknown option '--colour'/],
    [['classify', 'a', '--format', 'xml'], /--format "xml" is not one of table, json, csv/],
    [['classify', 'a', '--concurrency', '0'], /--concurrency "0" must be a whole number from 1 to 64/],
    [['classify', 'a', '--concurrency', '2.5'], /whole number/],
    [['classify', 'a', '--max-pages', 'ten'], /--max-pages "ten" must be a whole number/],
    [['classify', 'a', '--target-pages', '3-1'], /--target-pages "3-1": range "3-1" is reversed/],
    [['classify', 'a', '--target-pages', '0'], /page 0 does not exist/],
    [['classify', 'a', '--lang', 'english'], /two-letter ISO 639-1 code/],
    [['classify', 'a', '--timeout=-1'], /positive number of seconds/],
    [['classify', 'a', '--timeout', '0'], /--timeout "0" must be a positive number of seconds/],
    [['classify', 'a', '--base-url', 'localhost:8080'], /must start with http:\/\/ or https:\/\//],
    [['classify', 'a', '--base-url', 'not a url'], /is not a URL/],
  ])('rejects %j with a message that says what to change', (argv, message) => {
    expect(() => parse(...argv)).toThrow(message);
  });

  it('picks the output format: flag, then --output extension, then table on a terminal and json otherwise', () => {
    expect(chooseFormat(classify('a', '--format', 'csv'), true)).toBe('csv');
    expect(chooseFormat(classify('a', '-o', 'r.CSV'), true)).toBe('csv');
    expect(chooseFormat(classify('a', '-o', 'r.json'), true)).toBe('json');
    expect(chooseFormat(classify('a', '-o', 'r.txt'), false)).toBe('table');
    expect(chooseFormat(classify('a'), true)).toBe('table');
    expect(chooseFormat(classify('a'), false)).toBe('json');
  });
});

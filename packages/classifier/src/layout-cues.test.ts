import { describe, expect, it } from 'vitest';
import { layoutCues } from './layout-cues.js';

// Short texts written for these tests.
const page = (text: string, page_number = 1) => ({ page_number, text });
const countOf = (cues: ReturnType<typeof layoutCues>, word: string) => cues.get(word)?.count ?? 0;

describe('layoutCues', () => {
  it('names dates, times, money amounts and percentages', () => {
    const cues = layoutCues([
      page('Issued 12 March 2024 at 14:05, due 2024-04-11.\nTotal EUR 1,250.00 incl. 19% VAT; paid $ 80'),
    ]);
    expect(countOf(cues, 'date')).toBe(2);
    expect(countOf(cues, 'time')).toBe(1);
    expect(countOf(cues, 'amount')).toBeGreaterThanOrEqual(2);
    expect(countOf(cues, 'percentage')).toBe(1);
  });

  it('sees a narrow column of short lines, as a till prints, and not in wrapped prose', () => {
    const slip =
      'CORNER MART\n12 High St\n2 x Milk 1L\n3.98\nBread\n2.10\nTOTAL\n6.08\nCASH\n10.00\nCHANGE 3.92\nTHANK YOU';
    expect(countOf(layoutCues([page(slip)]), 'narrow')).toBeGreaterThan(0);
    const prose = Array.from(
      { length: 12 },
      () => 'Thank you for your letter of last week about the delivery of the new office chairs.',
    ).join('\n');
    expect(countOf(layoutCues([page(prose)]), 'narrow')).toBe(0);
  });

  it('sees fields to fill in, labelled values, blanks and check boxes in a short form', () => {
    const cues = layoutCues([
      page(
        'Applicant name:\nDate of birth: ________\nPhone: 555 0100\n[ ] Yes  [x] No\nSignature: ____________',
      ),
    ]);
    // "Applicant name:" and "Date of birth: ___" wait to be filled in; "Phone: 555 0100" is filled.
    expect(countOf(cues, 'field')).toBe(2);
    expect(countOf(cues, 'label')).toBe(1);
    expect(countOf(cues, 'checkbox')).toBe(2);
    expect(countOf(cues, 'signature')).toBe(1);
    expect(countOf(cues, 'blank')).toBeGreaterThan(0);
  });

  it('counts e-mail addresses and phone numbers as contact details', () => {
    const cues = layoutCues([page('Ann Lee\nann.lee@example.org\n+44 20 7946 0958\n')]);
    expect(countOf(cues, 'address')).toBe(1);
    expect(countOf(cues, 'phone')).toBe(1);
    expect(countOf(cues, 'contact')).toBe(2);
  });

  it('counts cues as a density in long documents', () => {
    const prose = 'The parties agree that the supplier delivers the goods on time.\n';
    const short = layoutCues([page('Name: Ann\nCity: Leeds\n')]);
    const long = layoutCues([page(`Name: Ann\nCity: Leeds\n${prose.repeat(400)}`)]);
    expect(countOf(short, 'label')).toBe(2);
    expect(countOf(long, 'label')).toBeLessThan(0.5);
  });

  it('recognises the greeting and closing of a letter and prose paragraphs', () => {
    const letter = [
      'Dear Ms Patel,',
      '',
      'Thank you for your letter of last week. We have checked the order and found that two boxes were',
      'sent to the wrong address. A replacement is on its way and should reach you by Friday. We are',
      'sorry for the trouble this has caused.',
      '',
      'Yours sincerely,',
      'Tom Baker',
    ].join('\n');
    const cues = layoutCues([page(letter)]);
    expect(countOf(cues, 'salutation')).toBe(1);
    expect(countOf(cues, 'closing')).toBe(1);
    expect(countOf(cues, 'paragraph')).toBe(1);
  });

  it('finds a block of header lines at the top and the pages of each cue', () => {
    const mail = 'From: Ann <ann@example.org>\nTo: Bob <bob@example.org>\nSubject: Lunch\n\nSee you at noon.';
    const cues = layoutCues([page(mail, 1), page('Call me on +44 20 7946 0018.', 2)]);
    expect(countOf(cues, 'header')).toBe(3);
    expect(cues.get('address')?.pages).toEqual([1]);
    expect(cues.get('phone')?.pages).toEqual([2]);
  });

  it('finds nothing in plain running text', () => {
    const cues = layoutCues([page('the cat sat on the mat and looked out of the window for a while')]);
    expect([...cues.keys()]).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { englishFor } from './glossary.js';
import { detectLanguage, isForeign } from './language.js';

describe('detectLanguage', () => {
  it.each([
    ['en', 'The parcel was left at the door of the house and the driver took a photo of it.'],
    ['de', 'Wir haben die Ware mit der Post an Sie geschickt und bitten um eine kurze Bestätigung.'],
    ['fr', 'Nous vous remercions pour votre commande et nous vous prions de trouver ci-joint les documents.'],
    ['pl', 'Prosimy o zapłatę w terminie, który jest podany na dokumencie, oraz o kontakt przez telefon.'],
  ])('tells %s from its function words', (lang, text) => {
    expect(detectLanguage([text])).toBe(lang);
  });

  it('does not guess on text with too few words to tell', () => {
    expect(detectLanguage(['12.03.2024  445,20  EUR  0193'])).toBeUndefined();
    expect(isForeign(['12.03.2024  445,20'])).toBe(false);
  });

  it('does not read codes next to digits as words', () => {
    // "RE", "A" and "DE" would count as English, Italian and Dutch function words.
    const invoice = 'RE-2026-0087 Druckerpapier A4 am Lager, zahlbar von heute an auf das Konto DE89 3704';
    expect(detectLanguage([invoice])).toBe('de');
  });

  it('takes the caller’s language over its own guess', () => {
    expect(isForeign(['The parcel was left at the door of the house.'], 'de')).toBe(true);
    expect(isForeign(['Wir haben die Ware an Sie geschickt und die Rechnung.'], 'en')).toBe(false);
  });
});

describe('englishFor', () => {
  it('maps common document words, their inflections and compounds to English', () => {
    expect(englishFor('rechnungsnummer')).toBe('invoice');
    expect(englishFor('faktury')).toBe('invoice');
    expect(englishFor('montant')).toBe('amount');
    expect(englishFor('unterschrift')).toBe('signature');
  });

  it('leaves other words alone', () => {
    expect(englishFor('haus')).toBeUndefined();
    expect(englishFor('xy')).toBeUndefined();
  });
});

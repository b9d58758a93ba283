/**
 * Function words that say nothing about a document's type. English, plus the most common
 * German, French, Spanish, Dutch, Italian and Portuguese ones, so that a rule or document in
 * those languages is matched on its content words; forms that are also English content words
 * ("die", "war", "hat", "son", "pour") are left out. Kept short on purpose: words such as
 * "date", "total" or "dear" are evidence and must stay.
 */
const ENGLISH =
  'a about above after again against all also am an and any are as at be because been before being ' +
  'below between both but by can could did do does doing done down during each either etc even ever ' +
  'every few for from further had has have having he her here hers herself him himself his how however ' +
  'i if in into is it its itself just least less like many may me might more most much must my myself ' +
  'neither no nor not now of off often on once one only or other others otherwise our ours ourselves ' +
  'out over own per rather same shall she should since so some such than that the their theirs them ' +
  'themselves then there these they this those though through thus to too under until up upon us usually ' +
  'very via was we were what whatever when where whether which while who whom whose why will with within ' +
  'without would yet you your yours yourself yourselves ie eg re ll ve don doesn isn aren wasn weren';
const GERMAN =
  'und der das dem des ein eine einer eines einem einen ist nicht mit von zu zum zur auf für sie wir ich ' +
  'ihr ihre ihren ihnen oder aber auch bei nach aus wie wird werden wurde sind haben sich dass noch nur ' +
  'über unter vom durch sehr diese dieser dieses kann können uns unser unsere mir mich sein seine im';
const FRENCH =
  'le la les et des du un une est pas par sur avec dans qui que au aux ce cette ces nous vous ils ' +
  'elle sa ses leur leurs mais ou être été sont ont très';
const SPANISH = 'el los las del al es por con para uno su sus lo se como más pero fue este esta estos muy';
const DUTCH =
  'het een van en de dat niet zijn voor op te ook aan bij naar uit worden wordt werd deze dit maar om er zich hun ons onze';
const ITALIAN_PORTUGUESE =
  'il di che della delle dei degli non sono da nel nella gli um uma não os em dos das na';

/** Polish function words: used to recognise the language only, not removed from texts. */
const POLISH =
  'na do się nie że jest od za po jak dla jego jej lub przez oraz ich być są przy ze ten tym który która';

/** Function words per language (ISO 639-1), for telling the language of a text. */
export const STOP_WORDS_BY_LANGUAGE: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  (
    [
      ['en', ENGLISH],
      ['de', GERMAN],
      ['fr', FRENCH],
      ['es', SPANISH],
      ['nl', DUTCH],
      ['it', ITALIAN_PORTUGUESE],
      ['pl', POLISH],
    ] as const
  ).map(([lang, words]) => [lang, new Set(words.split(' '))]),
);

export const STOP_WORDS: ReadonlySet<string> = new Set(
  [ENGLISH, GERMAN, FRENCH, SPANISH, DUTCH, ITALIAN_PORTUGUESE].join(' ').split(' '),
);

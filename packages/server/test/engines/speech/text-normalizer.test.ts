import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cardinalWords, decimalWords, ordinalWords, yearWords } from '../../../src/engines/speech/number-words.js';
import { hasSpeakableText, normalizeText } from '../../../src/engines/speech/text-normalizer.js';

const english = (text: string) => normalizeText(text, 'en');

describe('number words', () => {
  it('reads cardinals, ordinals, years and decimals', () => {
    assert.equal(cardinalWords(0), 'zero');
    assert.equal(cardinalWords(115), 'one hundred fifteen');
    assert.equal(cardinalWords('1234567'), 'one million two hundred thirty-four thousand five hundred sixty-seven');
    assert.equal(ordinalWords(21), 'twenty-first');
    assert.equal(ordinalWords(12), 'twelfth');
    assert.equal(ordinalWords(40), 'fortieth');
    assert.equal(ordinalWords(103), 'one hundred third');
    assert.equal(yearWords(1984), 'nineteen eighty-four');
    assert.equal(yearWords(2000), 'two thousand');
    assert.equal(yearWords(2005), 'two thousand five');
    assert.equal(yearWords(2026), 'twenty twenty-six');
    assert.equal(yearWords(1900), 'nineteen hundred');
    assert.equal(yearWords(1905), 'nineteen oh five');
    assert.equal(decimalWords('-3.05'), 'minus three point zero five');
  });
});

describe('normalizeText (English)', () => {
  const cases: [string, string][] = [
    ['I have 1,234 apples.', 'I have one thousand two hundred thirty-four apples.'],
    ['It is -5 outside.', 'It is minus five outside.'],
    ['Pi is 3.14.', 'Pi is three point one four.'],
    ['She came 21st and he 2nd.', 'She came twenty-first and he second.'],
    ['Born in 1984.', 'Born in nineteen eighty-four.'],
    ['On 2026-11-24.', 'On November twenty-fourth, twenty twenty-six.'],
    ['On 24/11/2026.', 'On November twenty-fourth, twenty twenty-six.'],
    ['Due Nov 24.', 'Due November twenty-fourth.'],
    ['On 3 March 2025.', 'On the third of March, twenty twenty-five.'],
    ['At 10:30 and 10:05.', 'At ten thirty and ten oh five.'],
    ['At 10:00.', "At ten o'clock."],
    ['Meet at 3pm.', 'Meet at three P M.'],
    ['Call at 5 p.m. Then go.', 'Call at five P M. Then go.'],
    ['It costs $4.50.', 'It costs four dollars and fifty cents.'],
    ['Only $1 or $0.99.', 'Only one dollar or ninety-nine cents.'],
    ['Pay €12, £3.20 now.', 'Pay twelve euros, three pounds and twenty pence now.'],
    ['Raised $2.5 million.', 'Raised two point five million dollars.'],
    ['Up 12.5% today.', 'Up twelve point five percent today.'],
    ['Dr. Smith met Mr. Jones.', 'Doctor Smith met Mister Jones.'],
    ['He lives on Baker St. near St. Paul.', 'He lives on Baker Street near Saint Paul.'],
    ['Fruit, e.g. apples, i.e. food.', 'Fruit, for example apples, that is food.'],
    ['Cats vs. dogs.', 'Cats versus dogs.'],
    ['Pens, paper, etc. are here.', 'Pens, paper, et cetera are here.'],
    ['Visit https://www.example.com/docs today.', 'Visit example dot com slash docs today.'],
    ['Mail jane.doe@example.org now.', 'Mail jane dot doe at example dot org now.'],
    ['Pages 10-20 and #5 & more.', 'Pages ten to twenty and number five and more.'],
    ['It is 20°C.', 'It is twenty degrees Celsius.'],
    ['Hello 👋 **world**!', 'Hello world!'],
  ];
  for (const [input, expected] of cases) {
    it(`"${input}"`, () => assert.equal(english(input), expected));
  }

  it('keeps paragraph breaks', () => {
    assert.equal(english('One.\n\nTwo.'), 'One.\n\nTwo.');
  });

  it('leaves numbers to eSpeak for other languages but still reads addresses', () => {
    assert.equal(normalizeText('Um 10:30 auf example.de', 'de'), 'Um 10:30 auf example Punkt de');
  });
});

describe('normalizeText: ordinals, streets, months and units (English)', () => {
  /** [language (voice accent), written, spoken]. */
  const cases: [string, string, string][] = [
    ['en', 'See you on Jan 3rd.', 'See you on January third.'],
    ['en', 'We meet on Jan 3rd. Bring snacks.', 'We meet on January third. Bring snacks.'],
    ['en', 'She finished 1st. He came 2nd.', 'She finished first. He came second.'],
    ['en', 'Her birthday is the 21st.', 'Her birthday is the twenty-first.'],
    ['en', 'It happened on the 4th. Nobody saw it.', 'It happened on the fourth. Nobody saw it.'],
    ['en', 'He lives at 12 Baker St. in London.', 'He lives at twelve Baker Street in London.'],
    ['en', 'Turn onto Abbey Rd. and stop.', 'Turn onto Abbey Road and stop.'],
    ['en', 'The shop on 3rd St. opens at 9am.', 'The shop on third Street opens at nine A M.'],
    ['en', 'Prices rose 3% in Jan. and Feb.', 'Prices rose three percent in January and February.'],
    ['en', 'We left in Oct. Then it snowed.', 'We left in October. Then it snowed.'],
    ['en', 'Since Sept. 2024 we ship more.', 'Since September twenty twenty-four we ship more.'],
    ['en', 'In Jan 2025 we launched.', 'In January twenty twenty-five we launched.'],
    ['en', 'Jan said hello.', 'Jan said hello.'],
    ['en', 'The race is 1 km long.', 'The race is one kilometer long.'],
    ['en-us', 'The race is 10 km long.', 'The race is ten kilometers long.'],
    ['en-gb-x-rp', 'The race is 10 km long.', 'The race is ten kilometres long.'],
    ['en-gb', 'Take a 5 km walk.', 'Take a five kilometre walk.'],
    ['en', 'It weighs 2.5 kg, the box 1 kg.', 'It weighs two point five kilograms, the box one kilogram.'],
    ['en', 'A 12 cm rod and 4 mm screws.', 'A twelve centimeter rod and four millimeters screws.'],
    ['en', 'Drive at 50 km/h, or 30 mph.', 'Drive at fifty kilometers per hour, or thirty miles per hour.'],
    ['en-gb', 'Wind at 1 m/s, gusts 12 m/s.', 'Wind at one metre per second, gusts twelve metres per second.'],
    ['en', 'A 3 kW heater uses 2 kWh.', 'A three kilowatt heater uses two kilowatt-hours.'],
    ['en', 'Download 700 MB of a 2 GB file.', 'Download seven hundred megabytes of a two gigabyte file.'],
    ['en', 'It is 1°C now and 25 °C later.', 'It is one degree Celsius now and twenty-five degrees Celsius later.'],
    ['en', 'How many km is it? It costs $2 per kg.', 'How many kilometers is it? It costs two dollars per kilogram.'],
    ['en', 'A 5G phone, 1,500 km away.', 'A 5G phone, one thousand five hundred kilometers away.'],
  ];
  for (const [language, input, expected] of cases) {
    it(`${language}: "${input}"`, () => assert.equal(normalizeText(input, language), expected));
  }
});

describe('hasSpeakableText', () => {
  it('is false for punctuation, emoji and whitespace', () => {
    for (const text of ['', '   \n\t', '!!! ...', '👋🌍🎉', '?!', '— … —']) assert.equal(hasSpeakableText(text), false, text);
  });
  it('is true for letters or digits in any script', () => {
    for (const text of ['a', '42', 'Hello!', '日本語', 'привет', '👋 hi']) assert.equal(hasSpeakableText(text), true, text);
  });
});

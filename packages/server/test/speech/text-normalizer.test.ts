import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cardinalWords, decimalWords, ordinalWords, yearWords } from '../../src/engines/speech/number-words.js';
import { hasSpeakableText, normalizeText } from '../../src/engines/speech/text-normalizer.js';

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

describe('hasSpeakableText', () => {
  it('is false for punctuation, emoji and whitespace', () => {
    for (const text of ['', '   \n\t', '!!! ...', '👋🌍🎉', '?!', '— … —']) assert.equal(hasSpeakableText(text), false, text);
  });
  it('is true for letters or digits in any script', () => {
    for (const text of ['a', '42', 'Hello!', '日本語', 'привет', '👋 hi']) assert.equal(hasSpeakableText(text), true, text);
  });
});

/** About 1,000 characters of plain English written for the speech row (same text for both sides). */
export const SPEECH_TEXT = [
  'The harbour was quiet before sunrise, and the fishing boats rocked gently against their ropes.',
  'A baker on the corner had already lit his ovens, so the whole street smelled of warm bread and burnt sugar.',
  'Children would soon run past on their way to school, carrying bags that were far too heavy for them.',
  'Down by the water, an old woman fed the gulls from a paper bag and told each of them a name.',
  'Nobody knew where she came from, but everyone agreed that the town felt emptier on the days she stayed home.',
  'When the first ferry sounded its horn, the shopkeepers raised their shutters one after another, like a slow wave.',
  'By nine the market square was full of voices, bicycles, and the clatter of crates being stacked on the stones.',
  'It was an ordinary morning, and that, the mayor liked to say, was exactly what made it worth protecting.',
  'In the afternoon the wind turned, clouds gathered over the hills, and the first drops of rain began to fall.',
  'Everyone hurried indoors, laughing, to wait for the storm to pass.',
]
  .join(' ')
  .slice(0, 1000);

/**
 * The sound-effect families the procedural synthesiser knows, with the prompt words that select
 * them. Pure data, so the docs can list it. Several families may match one prompt and are layered.
 */
export interface EffectFamily {
  /** Stable name, also the renderer's key. */
  readonly name: string;
  /** Lower-case words (or word stems) that select this family. */
  readonly triggers: readonly string[];
  /** One-line description of the sound. */
  readonly description: string;
}

/** Every effect family, in matching priority order. */
export const EFFECT_FAMILIES: readonly EffectFamily[] = [
  {
    name: 'rain',
    triggers: ['rain', 'drizzle', 'downpour', 'shower', 'storm', 'rainfall'],
    description: 'Steady rain: filtered hiss with scattered drops',
  },
  {
    name: 'wind',
    triggers: ['wind', 'breeze', 'gust', 'gale', 'blizzard', 'howling'],
    description: 'Gusting wind with a moving resonance',
  },
  {
    name: 'thunder',
    triggers: ['thunder', 'lightning', 'thunderstorm', 'rumble'],
    description: 'Thunder claps: a crack and a long low rumble',
  },
  {
    name: 'waves',
    triggers: ['wave', 'waves', 'ocean', 'sea', 'surf', 'beach', 'shore', 'tide'],
    description: 'Ocean waves swelling and washing out',
  },
  {
    name: 'fire',
    triggers: ['fire', 'campfire', 'fireplace', 'crackle', 'crackling', 'flame', 'flames', 'burning', 'bonfire'],
    description: 'Crackling fire with a soft roar',
  },
  {
    name: 'footsteps',
    triggers: ['footstep', 'footsteps', 'steps', 'walking', 'walk', 'running', 'stomp', 'boots'],
    description: 'Footsteps: heel and toe, alternating',
  },
  { name: 'door', triggers: ['door', 'creak', 'creaking', 'slam', 'hinge', 'gate'], description: 'A creaking door that shuts with a thud' },
  {
    name: 'explosion',
    triggers: ['explosion', 'explode', 'blast', 'bomb', 'boom', 'detonation', 'grenade', 'gunshot', 'gun', 'shot'],
    description: 'Explosion: a burst and a long rumbling tail',
  },
  {
    name: 'whoosh',
    triggers: ['whoosh', 'swoosh', 'swish', 'woosh', 'swipe', 'transition', 'fly', 'flyby', 'passing'],
    description: 'A filtered-noise sweep passing across the stereo field',
  },
  {
    name: 'laser',
    triggers: ['laser', 'blaster', 'zap', 'phaser', 'pew', 'raygun', 'shoot'],
    description: 'Laser zaps with a falling pitch',
  },
  {
    name: 'ui',
    triggers: ['ui', 'click', 'clicks', 'beep', 'beeps', 'button', 'notification', 'interface', 'menu', 'tap', 'blip'],
    description: 'Interface clicks and beeps',
  },
  {
    name: 'engine',
    triggers: ['engine', 'motor', 'car', 'truck', 'idle', 'idling', 'revving', 'motorcycle', 'vehicle', 'tractor'],
    description: 'A combustion engine idling or revving',
  },
  {
    name: 'birds',
    triggers: ['bird', 'birds', 'birdsong', 'chirp', 'chirping', 'tweet', 'songbird', 'forest', 'morning'],
    description: 'Birds chirping in phrases',
  },
  {
    name: 'crowd',
    triggers: ['crowd', 'people', 'chatter', 'murmur', 'restaurant', 'cafe', 'party', 'audience', 'market', 'talking'],
    description: 'Crowd murmur of many voices',
  },
  {
    name: 'applause',
    triggers: ['applause', 'clap', 'clapping', 'claps', 'cheer', 'cheering', 'ovation'],
    description: 'Applause: many hands clapping',
  },
  {
    name: 'glass',
    triggers: ['glass', 'shatter', 'shattering', 'break', 'breaking', 'smash', 'window', 'bottle'],
    description: 'Glass breaking into ringing shards',
  },
  {
    name: 'drip',
    triggers: ['drip', 'dripping', 'drop', 'drops', 'droplet', 'leak', 'faucet', 'cave'],
    description: 'Water drips echoing',
  },
  { name: 'clock', triggers: ['clock', 'tick', 'ticking', 'tock', 'watch', 'timer', 'metronome'], description: 'A ticking clock' },
  { name: 'heartbeat', triggers: ['heart', 'heartbeat', 'pulse', 'heartbeats', 'heartbeating'], description: 'A heartbeat: lub-dub' },
  {
    name: 'hum',
    triggers: [
      'hum',
      'humming',
      'drone',
      'scifi',
      'sci-fi',
      'spaceship',
      'reactor',
      'machine',
      'electric',
      'buzz',
      'generator',
      'starship',
    ],
    description: 'A sci-fi machine hum with slow beating',
  },
  {
    name: 'alarm',
    triggers: ['alarm', 'siren', 'alert', 'warning', 'klaxon', 'emergency'],
    description: 'A two-tone alarm, or a wailing siren',
  },
];

/** Used when no family matches: an evolving ambient texture seeded from the prompt's words. */
export const DEFAULT_FAMILY: EffectFamily = {
  name: 'ambient',
  triggers: [],
  description: 'An ambient texture (filtered noise and a soft chord) varied by the words of the prompt',
};

import { EXTRA_FAMILIES } from './extra-families.js';
import { MORE_FAMILIES } from './more-families.js';
import type { EffectEnvelope } from './prompt-timing.js';

/**
 * The sound-effect families the procedural synthesiser knows, with the prompt words that select
 * them. Pure data, so the docs can list it and queue time can say what the engine can make.
 */
export interface EffectFamily {
  /** Stable name, also the renderer's key. */
  readonly name: string;
  /** What people ask for, for the error that lists what the engine makes ("animals", "weather", …). */
  readonly group: string;
  /** Lower-case words that select this family (a trailing "s" is also accepted). */
  readonly triggers: readonly string[];
  /** One-line description of the sound. */
  readonly description: string;
  /**
   * Nouns naming one event of the family ("bark", "zap", "knock"): "a"/"one"/"single"/a number
   * just before one sets how many ("a laser zap", "three knocks"); a plural lets it repeat.
   */
  readonly units?: readonly string[];
  /** How many events when the prompt names the family without a count or a plural; absent: they repeat. */
  readonly defaultCount?: number;
  /** Default counts of variants (a knock on a door is three knocks). */
  readonly variantCounts?: Readonly<Record<string, number>>;
  /** Variants chosen by words of the prompt (a surface, an event of a vehicle, a species' call). */
  readonly variants?: Readonly<Record<string, readonly string[]>>;
  /** How its loudness changes when the prompt does not say (a riser rises). */
  readonly defaultEnvelope?: EffectEnvelope;
  /** A continuous bed rendered under this family when one of `words` is in the prompt. */
  readonly bed?: { readonly family: string; readonly words: readonly string[] };
  /** Scene words ("forest", "city", "glass"): they choose the family only when no other family is named. */
  readonly scene?: readonly string[];
  /** Triggers that only qualify a trigger of another family right after them ("car horn", "fire alarm"). */
  readonly qualifiers?: readonly string[];
}

const CORE_FAMILIES: readonly EffectFamily[] = [
  {
    name: 'rain',
    group: 'weather',
    triggers: ['rain', 'drizzle', 'downpour', 'shower', 'storm', 'rainfall', 'raindrops', 'rainy', 'stormy'],
    description: 'Steady rain: filtered hiss with scattered drops',
  },
  {
    name: 'wind',
    group: 'weather',
    triggers: ['wind', 'breeze', 'gust', 'gale', 'blizzard', 'windy', 'gusts'],
    units: ['howl', 'howling', 'howls', 'whistling', 'whistle'],
    qualifiers: ['wind'],
    description: 'Gusting wind with a moving resonance',
  },
  {
    name: 'thunder',
    group: 'weather',
    triggers: ['thunder', 'lightning', 'thunderstorm', 'rumble', 'thunderclap'],
    units: ['thunderclap', 'clap', 'crack', 'strike'],
    description: 'Thunder claps (a crack and a long low rumble) over low air; rain under a storm',
    bed: { family: 'rain', words: ['thunderstorm', 'storm', 'stormy', 'thunderstorms'] },
  },
  {
    name: 'waves',
    group: 'water',
    triggers: ['wave', 'ocean', 'sea', 'surf', 'beach', 'shore', 'tide', 'seaside'],
    description: 'Ocean waves swelling and washing out',
  },
  {
    name: 'fire',
    group: 'nature',
    triggers: ['fire', 'campfire', 'fireplace', 'crackle', 'crackling', 'flame', 'burning', 'bonfire'],
    qualifiers: ['fire'],
    description: 'Crackling fire with a soft roar',
  },
  {
    name: 'footsteps',
    group: 'surfaces',
    triggers: ['footstep', 'steps', 'walking', 'walk', 'running', 'stomp', 'boots', 'walks', 'sneakers', 'heels', 'stomping'],
    units: ['step', 'footstep', 'stomp'],
    variants: {
      gravel: ['gravel', 'pebbles', 'stones', 'rocky', 'dirt'],
      snow: ['snow', 'snowy', 'ice', 'icy'],
      wood: ['wood', 'wooden', 'floorboards', 'planks', 'deck', 'creaky', 'stairs'],
      grass: ['grass', 'leaves', 'grassy', 'leafy', 'undergrowth'],
      wet: ['puddle', 'puddles', 'wet', 'mud', 'muddy', 'water'],
      sand: ['sand', 'sandy'],
      hard: ['concrete', 'pavement', 'sidewalk', 'tile', 'tiles', 'marble', 'stone', 'hallway', 'corridor'],
    },
    description: 'Footsteps, heel and toe, on a surface: hard floor, gravel crunch, snow, wood, grass, wet, sand',
  },
  {
    name: 'door',
    group: 'impacts',
    triggers: ['door', 'creak', 'creaking', 'slam', 'hinge', 'gate', 'knock', 'knocking', 'doorway', 'slams', 'slamming', 'creaks'],
    units: ['slam', 'knock'],
    defaultCount: 1,
    variants: {
      knock: ['knock', 'knocks', 'knocking'],
      creak: ['creak', 'creaking', 'creaks', 'opening', 'open', 'opens', 'hinge'],
      slam: ['slam', 'slams', 'slamming', 'shut', 'shuts', 'closing', 'closes', 'close'],
    },
    variantCounts: { knock: 3 },
    qualifiers: ['door'],
    description: 'A door: a creak then a thud as it shuts, a slam, or knocks',
  },
  {
    name: 'explosion',
    group: 'impacts',
    triggers: [
      'explosion',
      'explode',
      'blast',
      'bomb',
      'boom',
      'detonation',
      'grenade',
      'gunshot',
      'gun',
      'shot',
      'gunfire',
      'rifle',
      'pistol',
      'cannon',
      'explodes',
      'exploding',
    ],
    units: ['explosion', 'blast', 'boom', 'gunshot', 'shot', 'detonation'],
    defaultCount: 1,
    variants: { gunshot: ['gunshot', 'gunshots', 'gun', 'guns', 'shot', 'shots', 'gunfire', 'rifle', 'pistol', 'revolver'] },
    description: 'Explosion or gunshot: a burst and a long rumbling tail',
  },
  {
    name: 'whoosh',
    group: 'transitions',
    triggers: ['whoosh', 'swoosh', 'swish', 'woosh', 'swipe', 'transition', 'arrow', 'arrows', 'flyby', 'swing'],
    units: ['whoosh', 'swoosh', 'swish', 'woosh', 'swipe', 'transition', 'swing'],
    defaultCount: 1,
    description: 'A filtered-noise sweep passing across the stereo field',
  },
  {
    name: 'laser',
    group: 'sci-fi',
    triggers: ['laser', 'blaster', 'zap', 'phaser', 'pew', 'raygun', 'shoot', 'zapping', 'zaps'],
    units: ['zap', 'shot', 'blast', 'pew', 'laser'],
    defaultCount: 1,
    description: 'Laser zaps with a falling pitch',
  },
  {
    name: 'ui',
    group: 'interface',
    triggers: [
      'monitor',
      'sonar',
      'ui',
      'click',
      'beep',
      'button',
      'notification',
      'interface',
      'menu',
      'tap',
      'blip',
      'chime',
      'ding',
      'ping',
      'alert',
      'error',
      'success',
      'coin',
      'pop',
    ],
    units: ['click', 'beep', 'tap', 'blip', 'chime', 'ding', 'ping', 'pop', 'notification', 'alert', 'coin', 'buzz', 'sound'],
    variants: {
      click: ['click', 'clicks', 'tap', 'taps', 'button', 'menu', 'pop'],
      beep: ['beep', 'beeps', 'beeping', 'blip', 'blips'],
      chime: ['chime', 'ding', 'ping', 'notification', 'alert', 'message'],
      error: ['error', 'fail', 'failure', 'wrong', 'denied', 'invalid'],
      success: ['success', 'coin', 'level', 'correct', 'win', 'reward', 'collect', 'pickup'],
    },
    variantCounts: { chime: 1, error: 1, success: 1 },
    description: 'Interface sounds: clicks, beeps, notification chimes, an error buzz, a success arpeggio',
  },
  {
    name: 'birds',
    group: 'animals',
    triggers: ['bird', 'birdsong', 'chirp', 'chirping', 'tweet', 'songbird', 'seagull', 'gull', 'sparrow', 'robin', 'birds', 'tweeting'],
    scene: ['forest', 'morning', 'woods', 'jungle', 'park', 'garden', 'dawn'],
    description: 'Birds chirping in phrases',
  },
  {
    name: 'crowd',
    group: 'crowds',
    triggers: [
      'crowd',
      'people',
      'chatter',
      'murmur',
      'restaurant',
      'cafe',
      'party',
      'audience',
      'market',
      'talking',
      'laughter',
      'laughing',
      'bar',
      'pub',
      'chattering',
      'walla',
    ],
    description: 'Crowd murmur of many voices',
  },
  {
    name: 'applause',
    group: 'crowds',
    triggers: ['applause', 'clap', 'clapping', 'claps', 'cheer', 'cheering', 'ovation', 'applauding', 'cheers'],
    description: 'Applause: many hands clapping',
  },
  {
    name: 'glass',
    group: 'impacts',
    triggers: ['shatter', 'shattering', 'break', 'breaking', 'smash', 'shatters', 'smashing', 'breaks', 'broken', 'shattered'],
    scene: ['glass', 'window', 'bottle'],
    units: ['shatter', 'smash', 'break'],
    defaultCount: 1,
    description: 'Glass breaking into ringing shards',
  },
  {
    name: 'drip',
    group: 'water',
    triggers: ['drip', 'dripping', 'drop', 'droplet', 'leak', 'faucet', 'cave', 'drips', 'leaking'],
    description: 'Water drips echoing',
  },
  {
    name: 'clock',
    group: 'machines',
    triggers: ['clock', 'tick', 'ticking', 'tock', 'watch', 'timer', 'metronome', 'countdown'],
    description: 'A ticking clock',
  },
  {
    name: 'heartbeat',
    group: 'body',
    triggers: ['heart', 'heartbeat', 'pulse', 'heartbeats', 'heartbeating'],
    qualifiers: ['heart'],
    description: 'A heartbeat: lub-dub',
  },
  {
    name: 'hum',
    group: 'sci-fi',
    triggers: [
      'hum',
      'humming',
      'drone',
      'scifi',
      'sci-fi',
      'spaceship',
      'reactor',
      'electric',
      'buzz',
      'generator',
      'starship',
      'buzzing',
      'electrical',
      'transformer',
    ],
    description: 'A sci-fi machine hum with slow beating',
  },
  {
    name: 'alarm',
    group: 'machines',
    triggers: ['alarm', 'siren', 'warning', 'klaxon', 'emergency', 'sirens', 'alarms'],
    description: 'A two-tone alarm, or a wailing siren',
  },
];

/** Every effect family, in matching priority order. */
export const EFFECT_FAMILIES: readonly EffectFamily[] = [...CORE_FAMILIES, ...MORE_FAMILIES, ...EXTRA_FAMILIES];

/** The order groups are listed in: what people ask for most first. */
const GROUP_ORDER = [
  'animals',
  'weather',
  'water',
  'nature',
  'vehicles',
  'surfaces',
  'crowds',
  'interface',
  'impacts',
  'machines',
  'bells',
];

/** The groups and their families, for the message that says what the engine can make. */
export function familiesByGroup(): string {
  const groups = new Map<string, string[]>(GROUP_ORDER.map((group) => [group, []]));
  for (const family of EFFECT_FAMILIES) groups.set(family.group, [...(groups.get(family.group) ?? []), family.name]);
  return [...groups].map(([group, names]) => `${group} (${names.join(', ')})`).join('; ');
}

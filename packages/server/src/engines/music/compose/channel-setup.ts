/** Choose instruments, panning and effect sends for each part from the genre and the prompt. Pure. */
import type { MusicBrief } from '../prompt/parse-prompt.js';
import type { GenreStyle } from './genre-styles.js';
import { CHANNEL, type ChannelSetup } from './score.js';

/** Channel set-up for every part that plays. */
export function chooseChannels(brief: MusicBrief, style: GenreStyle): ChannelSetup[] {
  const wanted = (role: string) => brief.instruments.filter((instrument) => instrument.role === role);
  const excluded = (role: 'drums' | 'bass') => brief.excludedRoles.includes(role);
  const leads = wanted('lead');
  const chords = wanted('chords');
  const pads = wanted('pad');
  const bass = wanted('bass');
  const drums = wanted('drums');
  const reverb = style.reverb;
  const setups: ChannelSetup[] = [
    {
      channel: CHANNEL.lead,
      part: 'lead',
      program: leads[0]?.program ?? style.lead,
      volume: 100,
      pan: 72,
      reverb: Math.min(127, reverb + 10),
      chorus: 10,
    },
    { channel: CHANNEL.chords, part: 'chords', program: chords[0]?.program ?? style.chords, volume: 88, pan: 42, reverb, chorus: 20 },
  ];
  const padProgram = pads[0]?.program ?? chords[1]?.program ?? style.pad;
  if (padProgram !== null && padProgram !== undefined) {
    setups.push({
      channel: CHANNEL.pad,
      part: 'pad',
      program: padProgram,
      volume: 70,
      pan: 86,
      reverb: Math.min(127, reverb + 20),
      chorus: 40,
    });
  }
  if (!excluded('bass')) {
    setups.push({
      channel: CHANNEL.bass,
      part: 'bass',
      program: bass[0]?.program ?? style.bass,
      volume: style.bassStyle === 'sustain' ? 78 : 104,
      pan: 64,
      reverb: 8,
      chorus: 0,
    });
  }
  const counterProgram = leads[1]?.program ?? chords[2]?.program;
  if (counterProgram !== undefined) {
    setups.push({
      channel: CHANNEL.counter,
      part: 'counter',
      program: counterProgram,
      volume: 78,
      pan: 24,
      reverb: Math.min(127, reverb + 10),
      chorus: 10,
    });
  }
  const kit = drums[0]?.program ?? style.drumKit;
  if (!excluded('drums') && kit !== null) {
    setups.push({ channel: CHANNEL.drums, part: 'drums', program: kit, volume: 104, pan: 64, reverb: Math.round(reverb * 0.5), chorus: 0 });
  }
  return setups;
}

import { element } from './dom.js';
import { drawWaveform } from './waveform.js';

/** An audio player for these bytes, with its waveform and a download link, put into `holder`. */
export function showMedia(holder: HTMLElement, bytes: ArrayBuffer, type: string, fileName: string): HTMLAudioElement {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const audio = element('audio', { controls: true, src: url, preload: 'metadata', 'aria-label': `Player for ${fileName}` });
  const canvas = element('canvas', { width: 600, height: 80, class: 'waveform' });
  const download = element('a', { href: url, download: fileName, class: 'button' }, `Download ${fileName}`);
  holder.replaceChildren(audio, canvas, download);
  drawWaveform(canvas, bytes, `Waveform of ${fileName}`).catch((error: Error) => {
    canvas.replaceWith(element('p', { class: 'hint' }, `No waveform: ${error.message}`));
  });
  return audio;
}

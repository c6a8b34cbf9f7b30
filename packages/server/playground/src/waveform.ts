/**
 * Decode the audio with Web Audio and draw its peaks on the canvas (one bar per pixel column).
 * The canvas is an image to assistive technology; its label says what it shows.
 */
export async function drawWaveform(canvas: HTMLCanvasElement, audio: ArrayBuffer, label: string): Promise<void> {
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const context = new OfflineAudioContext(1, 1, 44_100);
  const buffer = await context.decodeAudioData(audio.slice(0));
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, index) => buffer.getChannelData(index));
  const width = canvas.width;
  const height = canvas.height;
  const draw = canvas.getContext('2d');
  if (!draw) return;
  const perColumn = Math.max(1, Math.floor(buffer.length / width));
  draw.clearRect(0, 0, width, height);
  draw.fillStyle = getComputedStyle(canvas).color || '#2563eb';
  for (let column = 0; column < width; column++) {
    let peak = 0;
    const start = column * perColumn;
    const end = Math.min(buffer.length, start + perColumn);
    for (const samples of channels) for (let index = start; index < end; index++) peak = Math.max(peak, Math.abs(samples[index] ?? 0));
    const bar = Math.max(1, peak * height);
    draw.fillRect(column, (height - bar) / 2, 1, bar);
  }
  canvas.dataset.drawn = 'true';
  canvas.setAttribute('aria-label', `${label}, ${buffer.duration.toFixed(1)} seconds, peak ${peakLevel(channels)}`);
}

/** The loudest sample as a percentage of full scale, for the label. */
function peakLevel(channels: readonly Float32Array[]): string {
  let peak = 0;
  for (const samples of channels) for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
  return `${Math.round(peak * 100)}% of full scale`;
}

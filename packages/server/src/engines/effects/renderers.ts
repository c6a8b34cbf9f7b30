import { renderBirds, renderDrip, renderFire, renderRain, renderThunder, renderWaves, renderWind } from './nature-renderers.js';
import { renderAlarm, renderClock, renderDoor, renderEngine, renderFootsteps, renderGlass, renderHeartbeat } from './object-renderers.js';
import type { EffectRenderer } from './synth-context.js';
import {
  renderAmbient,
  renderApplause,
  renderCrowd,
  renderExplosion,
  renderHum,
  renderLaser,
  renderUi,
  renderWhoosh,
} from './synthetic-renderers.js';

/** Renderer for each family name in EFFECT_FAMILIES (plus `ambient`, the default). */
export const RENDERERS: Readonly<Record<string, EffectRenderer>> = {
  rain: renderRain,
  wind: renderWind,
  thunder: renderThunder,
  waves: renderWaves,
  fire: renderFire,
  footsteps: renderFootsteps,
  door: renderDoor,
  explosion: renderExplosion,
  whoosh: renderWhoosh,
  laser: renderLaser,
  ui: renderUi,
  engine: renderEngine,
  birds: renderBirds,
  crowd: renderCrowd,
  applause: renderApplause,
  glass: renderGlass,
  drip: renderDrip,
  clock: renderClock,
  heartbeat: renderHeartbeat,
  hum: renderHum,
  alarm: renderAlarm,
  ambient: renderAmbient,
};

import { renderBell } from './bell-renderers.js';
import { renderBraam, renderMagic, renderRiser } from './cinematic-renderers.js';
import {
  renderCat,
  renderCow,
  renderDog,
  renderFrog,
  renderHorse,
  renderInsects,
  renderOwl,
  renderRoar,
  renderRooster,
  renderSheep,
  renderWolf,
} from './creature-renderers.js';
import { renderFootsteps } from './footstep-renderer.js';
import { renderImpact, renderMachine, renderTyping, renderWater } from './material-renderers.js';
import { renderBirds, renderDrip, renderFire, renderRain, renderThunder, renderWaves, renderWind } from './nature-renderers.js';
import { renderAlarm, renderClock, renderDoor, renderGlass, renderHeartbeat } from './object-renderers.js';
import { renderFoley, renderGame, renderStatic } from './retro-renderers.js';
import type { EffectRenderer } from './synth-context.js';
import {
  renderAmbient,
  renderApplause,
  renderCrowd,
  renderExplosion,
  renderHum,
  renderLaser,
  renderWhoosh,
} from './synthetic-renderers.js';
import { renderUi } from './ui-renderer.js';
import { renderAirplane, renderEngine, renderHelicopter, renderHorn, renderTraffic, renderTrain } from './vehicle-renderers.js';

/** Renderer for each family name in EFFECT_FAMILIES. */
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
  birds: renderBirds,
  crowd: renderCrowd,
  applause: renderApplause,
  glass: renderGlass,
  drip: renderDrip,
  clock: renderClock,
  heartbeat: renderHeartbeat,
  hum: renderHum,
  alarm: renderAlarm,
  dog: renderDog,
  cat: renderCat,
  cow: renderCow,
  wolf: renderWolf,
  horse: renderHorse,
  rooster: renderRooster,
  sheep: renderSheep,
  owl: renderOwl,
  frog: renderFrog,
  insects: renderInsects,
  engine: renderEngine,
  traffic: renderTraffic,
  train: renderTrain,
  helicopter: renderHelicopter,
  airplane: renderAirplane,
  horn: renderHorn,
  impact: renderImpact,
  water: renderWater,
  machine: renderMachine,
  typing: renderTyping,
  riser: renderRiser,
  braam: renderBraam,
  magic: renderMagic,
  roar: renderRoar,
  bell: renderBell,
  game: renderGame,
  static: renderStatic,
  foley: renderFoley,
  ambient: renderAmbient,
};

/**
 * Loudness measurement and mastering, pure and dependency-free:
 * integrated loudness (BS.1770-4 / EBU R128), 4× oversampled true peak, and `masterAudio`.
 */
export { kWeightingFilters, measureIntegratedLoudness } from './loudness-meter.js';
export { type MasterOptions, masterAudio } from './master-audio.js';
export { measureTruePeakDb, truePeakEnvelope } from './true-peak.js';

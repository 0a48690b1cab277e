// The simulator's generator lives beside the rest of the code (backtests draw
// from it too); this path stays for the simulator's imports.
export { Rng, normalCdf } from '../rng.js';

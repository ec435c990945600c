/** The exposure area's public entry point: the known compromise windows and where an instant falls. */
export * from './compromise-windows.js';

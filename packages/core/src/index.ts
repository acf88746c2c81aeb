export * from './errors.js';
export * from './units.js';
export * from './box.js';
export * from './frame.js';
export * from './byte-source.js';
export * from './frame-source.js';
export * from './elements.js';
export * from './topology.js';

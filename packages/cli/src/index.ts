export { main, COMMANDS, VERSION, type MainIO } from './main.js';
export { EXIT } from './args.js';

/** The domain room's entry point for the renderer: whether a host's scan read it (the one answer every view uses). */
export { hostWasRead } from './host-status.js';

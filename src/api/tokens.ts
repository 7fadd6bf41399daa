/** Injection tokens for values that are not classes (each lives with the module that provides it). */
export { CLOCK, CONFIG, LOGGER } from '../config/config.module';

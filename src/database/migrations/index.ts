import { Initial1764400000000 } from './1764400000000-Initial';

/** Every migration in order. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS: Function[] = [Initial1764400000000];

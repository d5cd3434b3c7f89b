export { RANKING_FUNCTIONS } from './ranking.js';
export { NAVIGATION_FUNCTIONS } from './navigation.js';

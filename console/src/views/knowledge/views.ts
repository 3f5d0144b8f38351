/** The lazily loaded chunk of the Knowledge section and the "Improve the bot" inbox. */
export { KnowledgePage } from './KnowledgePage';
export { ImprovePage } from '../improve/ImprovePage';

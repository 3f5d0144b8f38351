import type { RasaNluData } from '../../knowledge/rasa';
import type { TrainingExample } from './types';

/** Flatten parsed intents into training examples. */
export function toTrainingExamples(data: RasaNluData): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const intent of data.intents) for (const text of intent.examples) out.push({ text, intent: intent.name });
  return out;
}

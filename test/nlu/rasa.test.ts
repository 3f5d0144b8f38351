import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toTrainingExamples } from '../../bot/nlu/training';
import { parseRasaNlu, RasaFormatError, readRasaNlu, stripEntityAnnotations } from '../../knowledge/rasa';

const FIXTURE = fileURLToPath(new URL('../fixtures/nlu/helpdesk.yml', import.meta.url));

describe('Rasa NLU YAML', () => {
  it('reads intents, examples and responses; skips synonym and regex items', () => {
    const data = readRasaNlu(FIXTURE);
    expect(data.intents.map((i) => i.name)).toEqual([
      'reset_password',
      'cancel_subscription',
      'refund_status',
      'shipping_time',
      'update_billing',
      'talk_to_human',
    ]);
    for (const i of data.intents) expect(i.examples).toHaveLength(8);
    expect(data.intents[0]!.examples[0]).toBe('I forgot my password');
    expect(data.responses).toEqual({
      utter_reset_password: 'Use the *Forgot password* link on the sign-in page.',
      utter_talk_to_human: 'Connecting you to an agent.',
    });
    expect(toTrainingExamples(data)).toHaveLength(48);
  });

  it('strips entity annotations', () => {
    expect(stripEntityAnnotations('fly to [Paris](city) from [Rome]{"entity": "city"}')).toBe('fly to Paris from Rome');
    const data = readRasaNlu(FIXTURE);
    expect(data.intents.find((i) => i.name === 'update_billing')!.examples).toContain('update visa details');
  });

  it('parses a minimal file and merges repeated intents; lookup items are skipped', () => {
    const data = parseRasaNlu(
      [
        'version: "3.1"',
        'nlu:',
        '- intent: greet',
        '  examples: |',
        '    - hi',
        '    - hello [there](who)',
        '- lookup: city',
        '  examples: |',
        '    - Paris',
        '- intent: greet',
        '  examples: |',
        '    - hey',
      ].join('\n'),
    );
    expect(data).toEqual({ intents: [{ name: 'greet', examples: ['hi', 'hello there', 'hey'] }], responses: {} });
  });

  it('invalid YAML → RasaFormatError naming the file', () => {
    const bad = 'version: "3.1"\nnlu:\n- intent: x\n  examples: |\n    - a\n  - : [\n';
    expect(() => parseRasaNlu(bad, 'data/nlu.yml')).toThrow(RasaFormatError);
    expect(() => parseRasaNlu(bad, 'data/nlu.yml')).toThrow(/^data\/nlu\.yml: /);
  });

  it('wrong shapes → RasaFormatError with a message that says what is wrong', () => {
    expect(() => parseRasaNlu('- just a list', 'a.yml')).toThrow(/a\.yml: expected a mapping/);
    expect(() => parseRasaNlu('nlu: 3', 'a.yml')).toThrow(/"nlu" must be a list/);
    expect(() => parseRasaNlu('nlu:\n- foo: bar', 'a.yml')).toThrow(/item #1 has none of intent/);
    expect(() => parseRasaNlu('nlu:\n- intent: x\n  examples: 3', 'a.yml')).toThrow(/intent "x"/);
    expect(() => parseRasaNlu('nlu:\n- intent: x\n  examples: |\n    hello', 'a.yml')).toThrow(/does not start with "- "/);
    expect(() => parseRasaNlu('nlu:\n- intent: x\n  examples: ""', 'a.yml')).toThrow(/has no examples/);
    expect(() => parseRasaNlu('nlu: []\nresponses: 5', 'a.yml')).toThrow(/"responses" must be a mapping/);
    expect(() => readRasaNlu('/nonexistent/nlu.yml')).toThrow(RasaFormatError);
  });
});

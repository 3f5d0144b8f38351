import { describe, expect, it } from 'vitest';
import { translator } from '../src/i18n';
import { presenceLine } from '../src/panel/labels';

const away = { agentsOnline: false, withinBusinessHours: true, expectedReply: 'soon' };
const t = translator('en');

describe('the header presence line', () => {
  it('promises a reply by email only when email is set up', () => {
    expect(presenceLine({ ...away, emailReplies: true }, undefined, [], t).text).toBe("We're away right now · we'll reply by email");
    expect(presenceLine({ ...away, emailReplies: false }, undefined, [], t).text).toBe("We're away right now · we'll reply here");
    expect(translator('fr')('awayHere')).toBe('Nous sommes absents · nous vous répondrons ici');
  });

  it('names the address once the customer gave it, and the team while online', () => {
    expect(presenceLine({ ...away, emailReplies: true }, 'ana@example.com', [], t).text).toBe("We'll reply to ana@example.com");
    expect(presenceLine({ ...away, agentsOnline: true, emailReplies: false }, undefined, [{ name: 'Alex' }], t)).toEqual({ text: 'Alex online now', online: true });
  });

  it('never says "away" while a person has the conversation (after hours too)', () => {
    const afterHours = { agentsOnline: true, withinBusinessHours: false, emailReplies: false, expectedReply: '' };
    expect(presenceLine(afterHours, undefined, [], t).text).toBe("We're away right now · we'll reply here");
    expect(presenceLine(afterHours, undefined, [], t, true)).toEqual({ text: 'Online · we usually reply in a few minutes', online: true });
    expect(presenceLine(afterHours, 'ana@example.com', [{ name: 'Lee' }], t, true)).toEqual({ text: 'Lee online now', online: true });
  });
});

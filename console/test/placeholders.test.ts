import { describe, expect, it } from 'vitest';
import { expandPlaceholders, insertAt, placeholdersIn } from '../src/placeholders';

const ctx = {
  customer: { name: 'Ana López', email: 'ana@example.com', attributes: { plan: 'pro', seats: 12, trial: false } },
  agent: { name: 'Alex' },
};

describe('expandPlaceholders', () => {
  it('expands the documented placeholders', () => {
    expect(expandPlaceholders('Hi {{customer.name}}, I am {{agent.name}}. Plan: {{customer.attributes.plan}} ({{customer.email}})', ctx)).toBe(
      'Hi Ana López, I am Alex. Plan: pro (ana@example.com)',
    );
  });

  it('tolerates spaces inside the braces', () => {
    expect(expandPlaceholders('Hi {{ customer.name }}!', ctx)).toBe('Hi Ana López!');
  });

  it('turns unknown placeholders and missing values into empty strings', () => {
    expect(expandPlaceholders('[{{customer.phone}}][{{foo}}][{{customer.attributes.region}}]', ctx)).toBe('[][][]');
    expect(expandPlaceholders('Hi {{customer.name}}', { customer: { name: null } })).toBe('Hi ');
    expect(expandPlaceholders('Hi {{customer.name}}', {})).toBe('Hi ');
  });

  it('formats numbers and booleans, drops objects', () => {
    expect(expandPlaceholders('{{customer.attributes.seats}} {{customer.attributes.trial}} {{customer.attributes}}', ctx)).toBe('12 no ');
  });

  it('does not reach into prototypes', () => {
    expect(expandPlaceholders('{{customer.constructor}}{{customer.__proto__}}{{agent.toString}}', ctx)).toBe('');
  });

  it('inserts values verbatim: no HTML interpretation and no second expansion', () => {
    const tricky = { customer: { name: '<img src=x onerror=alert(1)> {{agent.name}}' }, agent: { name: 'Alex' } };
    expect(expandPlaceholders('Hi {{customer.name}}', tricky)).toBe('Hi <img src=x onerror=alert(1)> {{agent.name}}');
  });

  it('leaves text that only looks like a placeholder alone', () => {
    expect(expandPlaceholders('{ {customer.name} } and {{not valid!}}', ctx)).toBe('{ {customer.name} } and {{not valid!}}');
  });

  it('lists the placeholders a template uses', () => {
    expect(placeholdersIn('{{customer.name}} {{agent.name}} {{ customer.name }}')).toEqual(['customer.name', 'agent.name']);
  });
});

describe('insertAt', () => {
  it('appends to an empty box', () => {
    expect(insertAt('', 0, 0, 'Hello')).toEqual({ value: 'Hello', caret: 5 });
  });

  it('replaces the selection and puts the caret after the insert', () => {
    expect(insertAt('Hi XX there', 3, 5, 'Ana')).toEqual({ value: 'Hi Ana there', caret: 6 });
  });

  it('adds a space after a word so the text does not run together', () => {
    expect(insertAt('Thanks', 6, 6, 'Bye')).toEqual({ value: 'Thanks Bye', caret: 10 });
  });

  it('clamps out-of-range positions and defaults to the end', () => {
    expect(insertAt('abc', null, null, 'd')).toEqual({ value: 'abc d', caret: 5 });
    expect(insertAt('abc', 99, 99, 'd').value).toBe('abc d');
  });
});

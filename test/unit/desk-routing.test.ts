// Which staff chat a new case goes to (STAFF_CHATS and the oversight chat).
import { describe, expect, it } from 'vitest';
import { deskFor, type DeskRoute } from '../../src/cases/desk.js';

const routes: DeskRoute[] = [
  { name: 'disability', categories: ['discrimination.disability'], languages: [] },
  { name: 'harassment', categories: ['harassment'], languages: ['ru', 'en'] },
  { name: 'kazakh', categories: [], languages: ['kk'] },
];

describe('deskFor', () => {
  it('sends a case to the first team whose categories and languages both fit', () => {
    expect(deskFor(routes, false, { category: 'discrimination.disability', lang: 'kk', aboutStaff: false })).toBe('disability');
    expect(deskFor(routes, false, { category: 'harassment.sexual', lang: 'ru', aboutStaff: false })).toBe('harassment');
    expect(deskFor(routes, false, { category: 'harassment.sexual', lang: 'kk', aboutStaff: false })).toBe('kazakh');
    expect(deskFor(routes, false, { category: 'bullying', lang: 'kk', aboutStaff: false })).toBe('kazakh');
  });

  it('a category names its kinds too, but not a look-alike; anything else goes to the main chat', () => {
    expect(deskFor(routes, false, { category: 'discrimination.age', lang: 'ru', aboutStaff: false })).toBe('main');
    expect(deskFor([{ name: 'x', categories: ['harass'], languages: [] }], false, { category: 'harassment', lang: 'ru', aboutStaff: false })).toBe('main');
    expect(deskFor(routes, false, { lang: 'en', aboutStaff: false })).toBe('main');
    expect(deskFor([], false, { category: 'bullying', lang: 'ru', aboutStaff: false })).toBe('main');
  });

  it('a report about staff goes to oversight before any team, when there is an oversight chat', () => {
    expect(deskFor(routes, true, { category: 'discrimination.disability', lang: 'kk', aboutStaff: true })).toBe('oversight');
    expect(deskFor(routes, false, { category: 'discrimination.disability', lang: 'kk', aboutStaff: true })).toBe('disability');
  });
});

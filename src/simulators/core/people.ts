import type { Random } from './random.ts';

const FIRST = [
  'Ada', 'Ben', 'Chloe', 'Dev', 'Elif', 'Farah', 'Gus', 'Hana', 'Ivan', 'Jade', 'Kofi', 'Lena', 'Mateo', 'Nia',
  'Omar', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zoe', 'Aiko',
  'Bruno', 'Carmen', 'Dario', 'Esme', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Luca', 'Maya', 'Nils',
];
const LAST = [
  'Okafor', 'Lindqvist', 'Moreau', 'Patel', 'Yilmaz', 'Haddad', 'Kowalski', 'Tanaka', 'Petrov', 'Nguyen', 'Mensah',
  'Fischer', 'Alvarez', 'Mwangi', 'Rahman', 'Iyer', 'Byrne', 'Costa', 'Novak', 'Schultz', 'Das', 'Larsen',
  'Romano', 'Sato', 'Kaur', 'Dubois', 'Osei', 'Ferreira', 'Jansen', 'Berg', 'Ortiz', 'Kim', 'Weber', 'Silva',
];

export interface Person {
  name: string;
  /** Lower-case, unique within the organization. */
  email: string;
  nickname: string;
}

/**
 * `count` distinct people of one organization. Names may repeat across large organizations, so
 * the email gets a number when a name was already taken, as real directories do.
 */
export function generatePeople(random: Random, count: number, domain: string): Person[] {
  const taken = new Map<string, number>();
  const people: Person[] = [];
  for (let i = 0; i < count; i++) {
    const first = random.pick(FIRST);
    const last = random.pick(LAST);
    const base = `${first}.${last}`.toLowerCase();
    const seen = taken.get(base) ?? 0;
    taken.set(base, seen + 1);
    const local = seen === 0 ? base : `${base}${seen + 1}`;
    people.push({ name: `${first} ${last}`, email: `${local}@${domain}`, nickname: local.replace('.', '') });
  }
  return people;
}

/**
 * Deterministic fictitious people for the watchlist matcher's tests and timing run: realistic first
 * and last names, combined at random from a seed, so that a failing test fails the same way every
 * time and namesakes occur between travelers and entries. Any resemblance of a combination to a real
 * person is coincidence; none of them is on any real list. The shapes below are those of the
 * exchange node's assessor (traveler facts, watchlist entries), declared here because a library never
 * imports an app.
 */

export interface SyntheticTraveler {
  readonly travelerRef: string;
  readonly surname: string;
  readonly givenNames: string;
  readonly dateOfBirth: string;
  readonly nationality: string;
  readonly documentNumber: string;
}

export interface SyntheticWatchlistEntry {
  readonly id: string;
  readonly surname: string;
  readonly givenNames: string;
  readonly dateOfBirth: string;
  readonly nationality: string;
  readonly documentNumbers: readonly string[];
  readonly reason: string;
}

/** mulberry32: tiny, fast, good enough to draw names; not for anything secret. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPANISH_GIVEN = [
  'José', 'Juan', 'Luis', 'Carlos', 'Jorge', 'Miguel', 'Pedro', 'Francisco', 'Antonio', 'Manuel', 'Rafael',
  'Fernando', 'Ricardo', 'Alejandro', 'Roberto', 'Mario', 'Óscar', 'Raúl', 'Andrés', 'Ernesto', 'María',
  'Ana', 'Carmen', 'Rosa', 'Lucía', 'Sofía', 'Isabel', 'Gabriela', 'Patricia', 'Verónica', 'Claudia',
  'Marta', 'Elena', 'Silvia', 'Daniela', 'Fátima', 'Beatriz', 'Alicia', 'Lorena', 'Mónica',
]; // prettier-ignore
const SPANISH_SURNAMES = [
  'García', 'Martínez', 'López', 'Hernández', 'González', 'Pérez', 'Rodríguez', 'Sánchez', 'Ramírez',
  'Cruz', 'Flores', 'Gómez', 'Morales', 'Vásquez', 'Reyes', 'Jiménez', 'Torres', 'Díaz', 'Rivera',
  'Castillo', 'Ortiz', 'Mejía', 'Aguilar', 'Romero', 'Navarro', 'Núñez', 'Guzmán', 'Mendoza', 'Salazar',
  'Rivas', 'Alvarado', 'Portillo', 'Chávez', 'Escobar', 'Henríquez', 'Orellana', 'Quintanilla', 'Bonilla',
  'Fuentes', 'Argueta',
]; // prettier-ignore
const ENGLISH_GIVEN = [
  'James', 'John', 'Robert', 'Michael', 'William', 'David', 'Richard', 'Joseph', 'Thomas', 'Charles',
  'Daniel', 'Matthew', 'Anthony', 'Mark', 'Steven', 'Paul', 'Andrew', 'Joshua', 'Kevin', 'Brian', 'Mary',
  'Jennifer', 'Linda', 'Elizabeth', 'Susan', 'Jessica', 'Sarah', 'Karen', 'Nancy', 'Lisa', 'Emily',
  'Ashley', 'Michelle', 'Amanda', 'Melissa', 'Rebecca', 'Laura', 'Rachel', 'Heather', 'Megan',
]; // prettier-ignore
const ENGLISH_SURNAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor',
  'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis',
  'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson',
  'Hill', 'Campbell', 'Mitchell', 'Roberts', 'Carter', 'Phillips', 'Evans', 'Turner', 'Parker',
]; // prettier-ignore
const SPANISH_STATES = ['SLV', 'GTM', 'HND', 'MEX', 'COL', 'NIC'];
const ENGLISH_STATES = ['USA', 'CAN', 'GBR'];

interface Person {
  surname: string;
  givenNames: string;
  dateOfBirth: string;
  nationality: string;
}

export function syntheticPerson(random: () => number): Person {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const spanish = random() < 0.65;
  const given = spanish ? SPANISH_GIVEN : ENGLISH_GIVEN;
  const surnames = spanish ? SPANISH_SURNAMES : ENGLISH_SURNAMES;
  const first = pick(given);
  const middle = random() < 0.4 ? pick(given) : undefined;
  const surname = spanish && random() < 0.85 ? `${pick(surnames)} ${pick(surnames)}` : pick(surnames);
  return {
    surname,
    givenNames: middle && middle !== first ? `${first} ${middle}` : first,
    dateOfBirth: randomDate(random),
    nationality: pick(spanish ? SPANISH_STATES : ENGLISH_STATES),
  };
}

export function syntheticTravelerFacts(
  random: () => number,
  count: number,
  refPrefix = 'T',
): SyntheticTraveler[] {
  return Array.from({ length: count }, (_, i) => ({
    travelerRef: `${refPrefix}${String(i).padStart(4, '0')}`,
    ...syntheticPerson(random),
    // Distinct prefixes: a random traveler can never hold a listed document number by accident.
    documentNumber: `P${digits(random, 8)}`,
  }));
}

export function syntheticWatchlistEntries(random: () => number, count: number): SyntheticWatchlistEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `syn-${String(i).padStart(5, '0')}`,
    ...syntheticPerson(random),
    documentNumbers: random() < 0.5 ? [`W${digits(random, 8)}`] : [],
    reason: 'synthetic test entry',
  }));
}

function randomDate(random: () => number): string {
  const start = Date.UTC(1940, 0, 1);
  const end = Date.UTC(2006, 11, 31);
  return new Date(start + Math.floor(random() * (end - start))).toISOString().slice(0, 10);
}

function digits(random: () => number, n: number): string {
  return Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
}

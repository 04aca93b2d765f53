/**
 * Small real wordlists for the brute-force scenarios: a list of commonly used passwords plus
 * words taken (seeded, so reproducibly) from /usr/share/dict/words (Debian package wamerican).
 * The lab's real passwords are removed from every list, so each brute force only ever fails.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { HTTP_ADMIN, LAB_USER } from './labConfig.ts';
import { seededRandom } from './benign.ts';

/** Passwords that head every public leak list; the brute-force tools try these first in practice. */
const COMMON = [
  '123456', 'password', '123456789', '12345678', '12345', 'qwerty', 'abc123', 'password1', '111111', '1234567',
  'iloveyou', 'admin', 'welcome', 'monkey', 'login', 'dragon', 'letmein', 'football', 'princess', 'sunshine',
  'master', 'qwerty123', 'shadow', 'baseball', 'trustno1', '654321', 'superman', 'starwars', 'passw0rd', 'root',
  'toor', 'changeme', 'secret', 'admin123', 'administrator', 'guest', 'test', 'test123', 'ubuntu', 'debian',
  'raspberry', 'pass', 'pass123', 'hello', 'freedom', 'whatever', 'qazwsx', 'michael', 'jennifer', 'access',
];

export const DICTIONARY = '/usr/share/dict/words';

/** Writes `count` candidate passwords (common ones first) to `path`; returns how many were written. */
export function writeWordlist(path: string, count: number, seed: number): number {
  const forbidden = new Set<string>([LAB_USER.password, HTTP_ADMIN.password]);
  const words: string[] = COMMON.filter((word) => !forbidden.has(word));
  if (existsSync(DICTIONARY)) {
    const dictionary = readFileSync(DICTIONARY, 'utf8')
      .split('\n')
      .filter((word) => /^[a-z]{4,10}$/.test(word));
    const random = seededRandom(seed);
    const chosen = new Set(words);
    while (chosen.size < count && chosen.size < dictionary.length) {
      const word = dictionary[Math.floor(random() * dictionary.length)]!;
      if (!forbidden.has(word)) chosen.add(word);
    }
    words.splice(0, words.length, ...chosen);
  }
  const list = words.slice(0, count);
  writeFileSync(path, `${list.join('\n')}\n`);
  return list.length;
}

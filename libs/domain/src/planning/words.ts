/** "1 day", "5 days"; `many` for irregular plurals ("activities"). */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "Pilot", "Pilot and Wave 1", "Pilot, Wave 1 and GA". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

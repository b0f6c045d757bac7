/**
 * Read a component the plan refers to by name; a miss is a bug in the plan, so it throws.
 * @example lookup(queues, 'FileLandingQueue', 'queue')
 */
export function lookup<T>(record: Readonly<Record<string, T>>, name: string, what: string): T {
  const found = record[name];
  if (found === undefined) {
    throw new Error(`No ${what} named ${name} was declared; stacks/plan and the stacks disagree.`);
  }
  return found;
}

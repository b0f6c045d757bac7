import { staleRegistryFiles, writeRegistry } from '../../contracts/registry-files.ts';

/** `finledger contracts write|check`: regenerate or verify the committed contracts registry. */
export async function contractsCommand(action: string | undefined, root: string): Promise<number> {
  if (action === 'write') {
    const written = await writeRegistry(root);
    console.log(`Wrote ${written.length} registry files:\n${written.map((path) => `  ${path}`).join('\n')}`);
    return 0;
  }
  if (action === 'check') {
    const stale = await staleRegistryFiles(root);
    if (stale.length === 0) {
      console.log('Contracts registry is up to date.');
      return 0;
    }
    console.error(
      `Stale registry files (run \`npm run contracts\` and commit):\n${stale.map((path) => `  ${path}`).join('\n')}`,
    );
    return 1;
  }
  console.error('Usage: finledger contracts write|check');
  return 2;
}

import { parseArgs } from 'node:util';
import { breakingChanges } from '../../contracts/compatibility/json-schema-compatibility.ts';
import {
  publishNewVersions,
  readPublishedVersions,
} from '../../contracts/compatibility/published-versions.ts';
import {
  type ContractVersion,
  checkRegistry,
  contractVersions,
} from '../../contracts/compatibility/registry-check.ts';
import { registryFiles } from '../../contracts/registry.ts';
import { eventParties } from '../../topology/event-parties.ts';
import { printJson, printText } from '../output.ts';

const USAGE = `Usage: finledger schemas <action> [--json]
  list                          every event and dataset contract: versions, published, producers, consumers
  show <name> [--version N]     one contract version's JSON Schema (latest by default)
  diff <name> <v1> <v2>         fields added and removed, and what breaks BACKWARD compatibility
  check                         every version against all earlier ones (BACKWARD_TRANSITIVE), published versions
                                unchanged; exit 0 ok, 1 broken, 2 usage
  publish                       freeze the versions not published yet (contracts/published-versions.json)
  asyncapi [--out FILE]         the whole bus as an AsyncAPI 3.0 document (channels, payloads, producers, consumers)`;

/** Field paths of a schema (`data.fileId`, `data.inputs[].fileId`), each with whether it is required. */
function fieldsOf(schema: Record<string, unknown>, path = ''): Map<string, boolean> {
  const fields = new Map<string, boolean>();
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  for (const [name, child] of Object.entries(properties)) {
    const field = path === '' ? name : `${path}.${name}`;
    fields.set(field, required.has(name));
    for (const [nested, isRequired] of fieldsOf(child, field)) fields.set(nested, isRequired);
    const items = child.items as Record<string, unknown> | undefined;
    if (items)
      for (const [nested, isRequired] of fieldsOf(items, `${field}[]`)) fields.set(nested, isRequired);
  }
  return fields;
}

function versionsNamed(versions: readonly ContractVersion[], name: string): ContractVersion[] {
  return versions.filter((version) => version.name === name);
}

/** `finledger schemas list|show|diff|check|publish`: the contracts registry for reviewers. */
export async function schemasCommand(argv: string[], root: string): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`schemas: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [action, ...names] = parsed.positionals;
  const json = parsed.values.json;
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  const files = registryFiles();
  const versions = contractVersions(files);
  const published = await readPublishedVersions(root);
  switch (action) {
    case 'list': {
      const contracts = [...new Set(versions.map((version) => version.name))].map((name) => {
        const own = versionsNamed(versions, name);
        const latest = own[own.length - 1] as ContractVersion;
        return {
          name,
          kind: latest.kind,
          versions: own.map((version) => ({
            version: version.version,
            published: version.path in published,
          })),
          /** Events only: who produces and consumes the latest version, from the topology. */
          parties: latest.kind === 'event' ? eventParties(name, latest.version) : undefined,
        };
      });
      if (json) printJson({ contracts });
      else
        printText(
          contracts
            .map(
              (contract) =>
                `${contract.kind.padEnd(7)} ${contract.name.padEnd(24)} ${contract.versions.map((item) => `v${item.version}${item.published ? '' : ' (unpublished)'}`).join(', ')}` +
                (contract.parties
                  ? `  ${contract.parties.producers.join(', ') || '-'} → ${contract.parties.consumers.join(', ') || '-'}`
                  : ''),
            )
            .join('\n'),
        );
      return 0;
    }
    case 'show': {
      const own = versionsNamed(versions, names[0] ?? '');
      const wanted = parsed.values.version === undefined ? undefined : Number(parsed.values.version);
      const found =
        wanted === undefined ? own[own.length - 1] : own.find((version) => version.version === wanted);
      if (!found) {
        console.error(
          `schemas: no contract ${names[0] ?? '(none given)'}${wanted === undefined ? '' : ` v${wanted}`}; \`finledger schemas list\` names them`,
        );
        return 2;
      }
      printJson(found.schema);
      return 0;
    }
    case 'diff': {
      const [name = '', from, to] = names;
      const own = versionsNamed(versions, name);
      const older = own.find((version) => `${version.version}` === from?.replace(/^v/, ''));
      const newer = own.find((version) => `${version.version}` === to?.replace(/^v/, ''));
      if (!older || !newer) {
        console.error(
          `schemas: diff needs a contract and two of its versions, e.g. diff FileLanded 1 2\n${USAGE}`,
        );
        return 2;
      }
      const before = fieldsOf(older.schema);
      const after = fieldsOf(newer.schema);
      const diff = {
        name,
        from: older.version,
        to: newer.version,
        added: [...after]
          .filter(([field]) => !before.has(field))
          .map(([field, required]) => ({ field, required })),
        removed: [...before.keys()].filter((field) => !after.has(field)),
        breaking: breakingChanges(older.schema, newer.schema).filter((change) => change.path !== 'version'),
      };
      if (json) printJson(diff);
      else
        printText(
          [
            `${name} v${diff.from} → v${diff.to}`,
            ...diff.added.map((item) => `  + ${item.field}${item.required ? ' (required)' : ''}`),
            ...diff.removed.map((field) => `  - ${field}`),
            ...(diff.breaking.length === 0
              ? ['  compatible (BACKWARD)']
              : diff.breaking.map((change) => `  BREAKING ${change.rule}: ${change.detail}`)),
          ].join('\n'),
        );
      return diff.breaking.length === 0 ? 0 : 1;
    }
    case 'check': {
      const check = checkRegistry(files, published);
      const passed = check.breaking.length === 0 && check.edited.length === 0;
      if (json) printJson({ passed, ...check });
      else printText(formatCheck(check, passed));
      return passed ? 0 : 1;
    }
    case 'publish': {
      const check = checkRegistry(files, published);
      if (check.breaking.length > 0 || check.edited.length > 0) {
        printText(formatCheck(check, false));
        console.error('schemas: nothing published; fix what `schemas check` reports first.');
        return 1;
      }
      const added = await publishNewVersions(root, files);
      printText(
        added.length === 0
          ? 'Every version is published already.'
          : `Published:\n${added.map((path) => `  ${path}`).join('\n')}`,
      );
      return 0;
    }
    case 'asyncapi': {
      const { asyncApiDocument } = await import('../../contracts/asyncapi.ts');
      const text = `${JSON.stringify(asyncApiDocument(), null, 2)}\n`;
      if (parsed.values.out === undefined) process.stdout.write(text);
      else {
        const { writeFile } = await import('node:fs/promises');
        await writeFile(parsed.values.out, text);
        console.error(`Wrote ${parsed.values.out}`);
      }
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

const OPTIONS = {
  json: { type: 'boolean', default: false },
  version: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

function formatCheck(check: ReturnType<typeof checkRegistry>, passed: boolean): string {
  const lines: string[] = [];
  for (const item of check.breaking) {
    lines.push(`${item.name} v${item.newer} breaks v${item.older}:`);
    for (const change of item.changes) lines.push(`  ${change.rule} ${change.detail}`);
  }
  for (const path of check.edited)
    lines.push(
      `${path} is published and has changed. Published versions are frozen: restore it and add the change as a new version.`,
    );
  if (check.unpublished.length > 0)
    lines.push(
      `Not published yet (run \`finledger schemas publish\` before merging): ${check.unpublished.join(', ')}`,
    );
  lines.push(
    passed
      ? 'Contracts are compatible (BACKWARD_TRANSITIVE) and published versions unchanged.'
      : 'schemas check FAILED.',
  );
  return lines.join('\n');
}

/** A parts manifest that cannot be trusted: missing, not a manifest, or not the one its event announced. */
export class PartsManifestError extends Error {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(
      `Parts manifest s3://${bucket}/${key} ${problem}. Its parts cannot be listed from it: the manifest was changed or lost after its event was published. Rerun the file's business date (finledger rerun --from <date> --to <date> --partner <partner>) so its parts and manifest are written again, then retry.`,
      options,
    );
    this.name = 'PartsManifestError';
  }
}

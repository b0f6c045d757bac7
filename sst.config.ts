/// <reference path="./.sst/platform/types/sst.d.ts" />
// Types come from `bash scripts/sst-offline-install.sh` (run by `npm run typecheck`).
// SST forbids top-level imports in this file, hence the dynamic ones.

/** finledger on AWS: every resource is derived from topology/topology.ts by stacks/. */
export default $config({
  async app(input) {
    const { stageConfig } = await import('./stacks/stage-config.ts');
    const production = stageConfig(input.stage).production;
    return {
      name: 'finledger',
      home: 'aws',
      // Production keeps tables and buckets on remove (keys and the archive are retained by stacks/)
      // and refuses `sst remove` altogether; every other stage is disposable.
      removal: production ? 'retain' : 'remove',
      protect: production,
      providers: { aws: '7.20.0' },
    };
  },
  async run() {
    const { deploy } = await import('./stacks/index.ts');
    return deploy();
  },
});

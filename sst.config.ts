/// <reference path="./.sst/platform/config.d.ts" />
export default $config({
  app(input) {
    return { name: 'finledger', home: 'aws' };
  },
  async run() {},
});

import { createServer } from 'node:http';
import { handleHttp, listen, sendError } from './bus-http.ts';
import { BusApiError } from './bus-replays.ts';
import { describeError, type RuntimeLogger } from './logger.ts';

/** The running parameter endpoint. */
export interface SsmParameters {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * The part of SSM Parameter Store the CLI uses (`GetParameter`), serving parameters the runtime sets: with it
 * `finledger <command> --stage <stage>` finds the offline runtime's resources through the same call as a deployed
 * stage's (`lib/stage-resources/`). String parameters only, in memory, rebuilt at every start.
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html
 */
export async function startSsmParameters(options: {
  readonly region: string;
  readonly account: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly logger: RuntimeLogger;
}): Promise<SsmParameters> {
  const operations = {
    'AmazonSSM.GetParameter': async (input: Record<string, unknown>) => {
      const name = String(input.Name ?? '');
      const value = options.parameters[name];
      if (value === undefined) throw new BusApiError('ParameterNotFound', `Parameter ${name} not found.`);
      return {
        Parameter: {
          Name: name,
          Type: 'String',
          Value: value,
          Version: 1,
          ARN: `arn:aws:ssm:${options.region}:${options.account}:parameter${name}`,
          DataType: 'text',
        },
      };
    },
  };
  const server = createServer((request, response) => {
    void handleHttp(request, response, operations).catch((error) => {
      options.logger.error('SSM parameter request failed', describeError(error));
      sendError(
        response,
        500,
        'InternalServerError',
        'The offline parameter store failed; see the runtime log.',
      );
    });
  });
  const port = await listen(server, 0);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// Child process for the orphan test: start DynamoDB Local, print the JVM pid, then idle until killed.
import { startDynamoDbLocal } from '../dynamodb-local.ts';

const dynamo = await startDynamoDbLocal({ region: 'us-east-1' });
process.stdout.write(`${dynamo.pid}\n`);
setInterval(() => {}, 60_000);

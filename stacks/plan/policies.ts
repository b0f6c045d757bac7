/** Resource policies as plain JSON, built from resolved ARNs inside the stacks' `apply`. */

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Record<string, unknown>[];
}

const denyInsecureTransport = (action: string, resources: readonly string[]) => ({
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: action,
  Resource: resources,
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

/**
 * Key policy: the account's IAM decides who uses the key (so the function policies from iam.ts
 * apply), plus the AWS services that encrypt on our behalf. Which rule or alarm may write is
 * decided by the queue policies (named rules only) and the topic's default policy (this account),
 * as in AWS's own examples, which carry no source condition on the key.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-encrypted-sns-topics
 */
export function keyPolicy(input: {
  partition: string;
  accountId: string;
  servicePrincipals: readonly string[];
}): PolicyDocument {
  const statements: Record<string, unknown>[] = [
    {
      Sid: 'AccountIamDecides',
      Effect: 'Allow',
      Principal: { AWS: `arn:${input.partition}:iam::${input.accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ];
  if (input.servicePrincipals.length > 0) {
    statements.push({
      Sid: 'ServicesEncryptForUs',
      Effect: 'Allow',
      Principal: { Service: [...input.servicePrincipals] },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * Queue policy: deny non-TLS access, and let EventBridge send only from the rules that target the
 * queue (or use it as their DLQ).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions
 */
export function queuePolicy(input: { queueArn: string; senderRuleArns: readonly string[] }): PolicyDocument {
  const statements: Record<string, unknown>[] = [denyInsecureTransport('sqs:*', [input.queueArn])];
  if (input.senderRuleArns.length > 0) {
    statements.push({
      Sid: 'EventBridgeRulesSend',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: input.queueArn,
      Condition: { ArnEquals: { 'aws:SourceArn': [...input.senderRuleArns] } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

import { describe, expect, it } from 'vitest';
import { signAwsV4 } from './aws-sigv4.js';

describe('signAwsV4', () => {
  it('matches the AWS documentation example (GET object with a Range header)', () => {
    const request = {
      method: 'GET',
      url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
      headers: new Headers({ range: 'bytes=0-9' }),
      bodyBytes: undefined,
    };
    signAwsV4(
      request,
      {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        region: 'us-east-1',
        service: 's3',
      },
      Date.UTC(2013, 4, 24),
    );
    expect(request.headers.get('authorization')).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });
});

"""The registry core: ECR Public's domain operations and rules, in domain terms (bytes,
digests, typed records), raising errors with AWS's codes and messages. It knows nothing of
JSON requests, base64, HTTP or botocore: the front ends (the API, the handle's helpers,
the registry protocol) translate to and from it."""

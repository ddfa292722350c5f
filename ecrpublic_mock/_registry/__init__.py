"""The registry protocol front end: the OCI Distribution API (``/v2/``) and the token
endpoint (``/token/``) over the registry core, as ECR Public's registry endpoint serves
them (docs/aws-behaviour.md, section "Registry protocol").

HTTP semantics only (paths, headers, status codes, error bodies); no server engine: the
server's app hands each request over as a :class:`~.protocol.Request` and a way to read
its body, and sends the :class:`~.protocol.Response` back.
"""

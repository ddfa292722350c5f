"""The registry protocol front end: the OCI Distribution API (``/v2/``) and the token
endpoint (``/token/``) over the registry core, as ECR Public's registry endpoint serves
them (docs/aws-behaviour.md, section "Registry protocol").

Laid out as a registry is: ``routes`` (the table of routes, methods and the operation each
amounts to, and the one way a request is served), the handlers by resource (``auth``,
``blobs``, ``uploads``, ``manifests``, ``tags``), each taking one request ``context``, and
``errors`` (each code with its status and texts). HTTP semantics only, no server engine:
the server hands each request over as a ``context.Request`` and a way to read its body,
and sends the ``context.Response`` back.
"""

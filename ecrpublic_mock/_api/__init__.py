"""The ECR Public API front end: JSON members in, JSON out, validation from botocore's
model, over the registry core."""

"""Activation: the mock object (decorator, context manager, handle), the botocore hook, the
patches only an active mock needs, and the bridge into moto's ``mock_aws``."""

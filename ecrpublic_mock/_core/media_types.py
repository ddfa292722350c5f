"""The manifest media types ECR Public accepts (docs/aws-behaviour.md, "Manifests and PutImage")."""

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_V1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws"
DOCKER_V1 = "application/vnd.docker.distribution.manifest.v1+json"
# A helm chart's config (helm's OCI support): the catalog lists its repository as HELM.
HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json"

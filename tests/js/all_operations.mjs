// The AWS SDK for JavaScript v3 against a served ecrpublic_mock: every operation once,
// then every modeled error of every operation, each caught as its own exception class.
//
//   node all_operations.mjs <endpoint URL> <plan.json>
//
// plan.json (written by tests/server/test_js_sdk.py from botocore's model):
//   {"operations": {"<Operation>": ["<ModeledError>", ...], ...}}
// Prints one JSON object: {"succeeded": [...operations], "caught": [[operation, error], ...],
// "absent": [operations of the plan this SDK has no command for], "absentErrors":
// [[operation, error] of the plan this SDK has no exception class for],
// "failures": [...]}; exits 1 if anything failed.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as sdk from "@aws-sdk/client-ecr-public";

const [endpoint, planFile] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, "utf8"));
const options = {
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "x", secretAccessKey: "y" },
  maxAttempts: 1,
};
const client = new sdk.ECRPUBLICClient(options);
const west = new sdk.ECRPUBLICClient({ ...options, region: "us-west-2" });
const succeeded = new Set();
const caught = [];
const failures = [];

async function call(operation, input = {}, on = client) {
  const output = await on.send(new sdk[`${operation}Command`](input));
  succeeded.add(operation);
  return output;
}

async function expectError(operation, input, code, on = client) {
  try {
    await call(operation, input, on);
    failures.push(`${operation}: no ${code}`);
  } catch (error) {
    if (error instanceof sdk[code] && error instanceof sdk.ECRPUBLICServiceException) {
      caught.push([operation, code, error.$metadata.httpStatusCode, error.message]);
      return error;
    }
    failures.push(`${operation}: expected ${code}, got ${error.name}: ${error.message}`);
  }
  return undefined;
}

const sha256 = (data) => "sha256:" + createHash("sha256").update(data).digest("hex");

async function upload(repositoryName, data) {
  const { uploadId } = await call("InitiateLayerUpload", { repositoryName });
  await call("UploadLayerPart", {
    repositoryName,
    uploadId,
    partFirstByte: 0,
    partLastByte: data.length - 1,
    layerPartBlob: data,
  });
  const digest = sha256(data);
  await call("CompleteLayerUpload", { repositoryName, uploadId, layerDigests: [digest] });
  return digest;
}

async function scenario() {
  const repo = "app";
  const { repository } = await call("CreateRepository", { repositoryName: repo });
  await expectError("CreateRepository", { repositoryName: repo }, "RepositoryAlreadyExistsException");
  await expectError("CreateRepository", { repositoryName: "UPPER" }, "InvalidParameterException");
  await expectError(
    "DescribeRepositories", { repositoryNames: ["nope"] }, "RepositoryNotFoundException"
  );
  await expectError("DescribeRepositories", {}, "UnsupportedCommandException", west);
  await expectError("GetAuthorizationToken", {}, "UnsupportedCommandException", west);
  await call("DescribeRepositories");
  await call("DescribeRegistries");
  await call("GetAuthorizationToken");
  await call("PutRegistryCatalogData", { displayName: "js" });
  await call("GetRegistryCatalogData");
  await call("PutRepositoryCatalogData", {
    repositoryName: repo, catalogData: { description: "from JavaScript" },
  });
  const { catalogData } = await call("GetRepositoryCatalogData", { repositoryName: repo });
  if (catalogData.description !== "from JavaScript") failures.push("catalog data lost");

  const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
  const layer = Buffer.from("a layer from JavaScript");
  const configDigest = await upload(repo, config);
  const layerDigest = await upload(repo, layer);
  const { layers } = await call("BatchCheckLayerAvailability", {
    repositoryName: repo, layerDigests: [layerDigest],
  });
  if (layers[0].layerAvailability !== "AVAILABLE") failures.push("layer not available");
  const { uploadId } = await call("InitiateLayerUpload", { repositoryName: repo });
  const partError = await expectError("UploadLayerPart", {
    repositoryName: repo, uploadId, partFirstByte: 5, partLastByte: 6,
    layerPartBlob: Buffer.from("xy"),
  }, "InvalidLayerPartException");
  if (partError && partError.lastValidByteReceived === undefined) {
    failures.push("InvalidLayerPartException without lastValidByteReceived");
  }
  await expectError("CompleteLayerUpload", {
    repositoryName: repo, uploadId, layerDigests: [layerDigest],
  }, "EmptyUploadException");
  await expectError("CompleteLayerUpload", {
    repositoryName: repo, uploadId: "00000000-0000-0000-0000-000000000000",
    layerDigests: [layerDigest],
  }, "UploadNotFoundException");

  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: {
      mediaType: "application/vnd.docker.container.image.v1+json",
      size: config.length, digest: configDigest,
    },
    layers: [{
      mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
      size: layer.length, digest: layerDigest,
    }],
  });
  const { image } = await call("PutImage", {
    repositoryName: repo, imageManifest: manifest, imageTag: "v1",
  });
  if (image.imageId.imageDigest !== sha256(manifest)) failures.push("digest differs");
  await expectError("PutImage", {
    repositoryName: repo, imageManifest: manifest, imageTag: "v1",
  }, "ImageAlreadyExistsException");
  await expectError("PutImage", {
    repositoryName: repo, imageManifest: manifest, imageTag: "v2",
    imageDigest: "sha256:" + "0".repeat(64),
  }, "ImageDigestDoesNotMatchException");
  await expectError("PutImage", {
    repositoryName: repo, imageManifest: manifest.replace(layerDigest, sha256("missing")),
  }, "LayersNotFoundException");
  await call("DescribeImages", { repositoryName: repo });
  await expectError("DescribeImages", {
    repositoryName: repo, imageIds: [{ imageTag: "nope" }],
  }, "ImageNotFoundException");
  await call("DescribeImageTags", { repositoryName: repo });

  const policy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "pull", Effect: "Allow", Principal: "*", Action: ["ecr-public:BatchGetImage"] }],
  });
  await call("SetRepositoryPolicy", { repositoryName: repo, policyText: policy });
  await call("GetRepositoryPolicy", { repositoryName: repo });
  await call("DeleteRepositoryPolicy", { repositoryName: repo });
  await expectError("GetRepositoryPolicy", { repositoryName: repo }, "RepositoryPolicyNotFoundException");

  const arn = repository.repositoryArn;
  await call("TagResource", { resourceArn: arn, tags: [{ Key: "team", Value: "js" }] });
  const { tags } = await call("ListTagsForResource", { resourceArn: arn });
  if (tags.length !== 1) failures.push("tags lost");
  await call("UntagResource", { resourceArn: arn, tagKeys: ["team"] });
  await expectError("TagResource", {
    resourceArn: arn, tags: [{ Key: "aws:reserved", Value: "x" }],
  }, "InvalidTagParameterException");
  await expectError("TagResource", {
    resourceArn: arn, tags: Array.from({ length: 51 }, (_, n) => ({ Key: `k${n}`, Value: "v" })),
  }, "TooManyTagsException");

  await expectError("DeleteRepository", { repositoryName: repo }, "RepositoryNotEmptyException");
  const { failures: deleteFailures } = await call("BatchDeleteImage", {
    repositoryName: repo, imageIds: [{ imageTag: "v1" }, { imageTag: "nope" }],
  });
  if (deleteFailures.length !== 1) failures.push("BatchDeleteImage failures differ");
  await call("DeleteRepository", { repositoryName: repo, force: true });
  await expectError("DeleteRepository", { repositoryName: repo }, "RepositoryNotFoundException");
}

// Operations of botocore's model that this SDK does not have yet (botocore may be newer).
const absent = Object.keys(plan.operations).filter((op) => !sdk[`${op}Command`]).sort();
// Likewise modeled errors it has no exception class for ([operation, code] pairs).
const absentErrors = [];

async function everyModeledError() {
  for (const [operation, errors] of Object.entries(plan.operations)) {
    if (absent.includes(operation)) continue;
    for (const code of errors) {
      if (!sdk[code]) {
        absentErrors.push([operation, code]);
        continue;
      }
      const response = await fetch(`${endpoint}/_ecrpublic_mock/faults`, {
        method: "POST",
        body: JSON.stringify({ code, operation }),
      });
      if (response.status !== 201) failures.push(`fault ${code}: HTTP ${response.status}`);
      await expectError(operation, {}, code);
    }
  }
}

try {
  await scenario();
  await everyModeledError();
} catch (error) {
  failures.push(`unexpected: ${error.name}: ${error.message}`);
}
console.log(JSON.stringify({ succeeded: [...succeeded].sort(), caught, failures, absent, absentErrors }));
process.exit(failures.length ? 1 : 0);

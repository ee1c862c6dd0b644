// The controller image: the official one (plugins installed at start), or a custom one with the
// plugins baked in, built and pushed with @pulumi/docker under a content-hash tag.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { JenkinsCustomImage } from "./args";

/** A short hash of a build context's files and the base image: the custom image's immutable tag. */
export function contentTag(context: string, baseImage: string): string {
  const hash = crypto.createHash("sha256").update(baseImage);
  for (const file of fs.readdirSync(context).sort()) {
    hash.update(file).update(fs.readFileSync(path.join(context, file)));
  }
  return hash.digest("hex").slice(0, 12);
}

/** The image the controller runs: `baseImage` itself, or the custom image built on it. */
export function controllerImage(name: string, baseImage: string, custom: JenkinsCustomImage | undefined, parent: pulumi.Resource): pulumi.Output<string> {
  if (!custom) return pulumi.output(baseImage);
  const built = new docker.Image(
    `${name}-controller`,
    {
      build: { context: custom.context, dockerfile: path.join(custom.context, "Dockerfile"), platform: "linux/amd64", args: { JENKINS_IMAGE: baseImage } },
      imageName: `${custom.repository}:${contentTag(custom.context, baseImage)}`,
      registry: custom.registry,
    },
    { parent },
  );
  return built.imageName;
}

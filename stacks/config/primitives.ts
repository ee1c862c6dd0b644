// Reusable validators for stack config. Each message says what was expected and what was given,
// because the user reads it on a terminal far from this code.
import { z } from "zod";
import { parseQuantity, QUANTITY } from "../../components/rules/quantity";

export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** A Kubernetes quantity; YAML numbers (`cpu: 2`) are accepted and kept as strings. */
export const quantity = z
  .union([z.string(), z.number()], { error: (iss) => `expected a Kubernetes quantity like "500m" or "2", got ${describe(iss.input)}` })
  .transform(String)
  .refine((v) => QUANTITY.test(v) && parseQuantity(v) > 0, {
    error: (iss) => `expected a Kubernetes quantity like "500m" or "2", got ${describe(iss.input)}`,
  });

/** Requests and limits: cpu/memory pairs of quantities. */
export const cpuMemory = z.strictObject({ cpu: quantity, memory: quantity });
export const resources = z.strictObject({ requests: cpuMemory, limits: cpuMemory });

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 label: the rule for namespace names. */
export const dnsLabel = z.string().refine((v) => v.length <= 63 && DNS_LABEL.test(v), {
  error: (iss) =>
    `expected a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters), got ${describe(iss.input)}`,
});

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A DNS name such as `loki.logging.svc` or `harbor.example.com`. */
export const hostname = z.string().refine((v) => DNS_NAME.test(v), {
  error: (iss) => `expected a DNS host name like "logs.example.com", got ${describe(iss.input)}`,
});

export const port = z
  .number({ error: (iss) => `expected a port number from 1 to 65535, got ${describe(iss.input)}` })
  .int()
  .min(1)
  .max(65535);

export const count = z
  .number({ error: (iss) => `expected a whole number, got ${describe(iss.input)}` })
  .int({ error: (iss) => `expected a whole number, got ${describe(iss.input)}` })
  .min(0, { error: (iss) => `expected zero or more, got ${describe(iss.input)}` });

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** Why an IPv4 CIDR is unusable, or undefined when it is fine. Host bits must be zero. */
export function cidrProblem(v: string): string | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(v);
  const ip = m ? ipv4ToInt(m[1]) : undefined;
  const prefix = m ? Number(m[2]) : NaN;
  if (ip === undefined || !(prefix >= 8 && prefix <= 28)) {
    return `expected an IPv4 CIDR with a prefix from /8 to /28 like "10.244.0.0/16", got ${describe(v)}`;
  }
  const hostBits = 2 ** (32 - prefix);
  if (ip % hostBits !== 0) return `"${v}" has host bits set; the network address for /${prefix} is "${intToIpv4(ip - (ip % hostBits))}/${prefix}"`;
  return undefined;
}

export const cidr = z.string().superRefine((v, ctx) => {
  const problem = cidrProblem(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const IMAGE = /^[a-z0-9][a-z0-9._\-/:]*(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/;
const DIGEST = /@sha256:[a-f0-9]{64}$/;

/** A container image reference with an explicit tag or digest (never implicitly `latest`). */
export const image = z.string().refine((v) => IMAGE.test(v) && !/:latest$/.test(v), {
  error: (iss) => `expected an image with a pinned tag or digest like "repo/app:1.2.3", got ${describe(iss.input)}`,
});

/** Whether an image reference is pinned by an @sha256 digest (the rule prod holds every image to). */
export const pinnedByDigest = (ref: string) => DIGEST.test(ref);

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Kubernetes' rule for a label value: at most 63 characters, alphanumeric at both ends. */
export const isLabelValue = (v: string) => v.length <= 63 && LABEL_VALUE.test(v);

/**
 * An image whose tag becomes the pods' app.kubernetes.io/version label (a digest gives a short
 * prefix instead), so the tag must also be a valid label value, or the API server refuses the pods.
 */
export const labelledImage = image.superRefine((v, ctx) => {
  if (DIGEST.test(v)) return;
  const tag = v.slice(v.lastIndexOf(":") + 1);
  if (!isLabelValue(tag)) {
    ctx.addIssue({
      code: "custom",
      message: `the tag "${tag}" (${tag.length} characters) would become the label app.kubernetes.io/version, which must be at most 63 characters and start and end with a letter or digit; use a shorter tag or pin by digest`,
    });
  }
});

export const url = z.string().refine((v) => /^(https?|oci):\/\/[^\s/]+(\/\S*)?$/.test(v), {
  error: (iss) => `expected an http(s):// or oci:// URL, got ${describe(iss.input)}`,
});

export const nameList = z.array(z.string().min(1)).default([]);

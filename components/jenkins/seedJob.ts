// The job a new platform's Jenkins runs for the platform's own repository: a multibranch pipeline
// seeded from JCasC with Job DSL, building the repository's Jenkinsfile on branches, tags and
// (for a GitHub repository) pull requests, on the agent pod template the Jenkinsfile names.

export interface JenkinsSeedJob {
  /** The platform repository: https://..., ssh://... or git@host:path. */
  repo: string;
  /** A Jenkins credential (username/password or SSH key) for a private repository. */
  credentialsId?: string;
}

export const SEED_JOB_DEFAULTS = {
  jobName: "k8s-devops-platform",
  scriptPath: "Jenkinsfile",
  /** The pod template the Jenkinsfile's agent inherits from, and its build container. */
  podTemplate: "default",
  container: "node",
  /** How often the job looks for new branches, tags and pull requests. */
  scanInterval: "5m",
  /** Tags are built only when recent, so a rescan never releases an old tag again. */
  tagMaxAgeDays: 3,
};

const GITHUB = /^https:\/\/github\.com\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(\.git)?\/?$/;

/** A Groovy single-quoted string literal. */
function groovy(text: string): string {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** The branch source: GitHub (pull requests are change requests) or any git server (branches and tags). */
function source(job: JenkinsSeedJob): string[] {
  const credentials = job.credentialsId ? [`      credentialsId(${groovy(job.credentialsId)})`] : [];
  const github = GITHUB.exec(job.repo);
  if (github) {
    return [
      "    github {",
      `      id(${groovy("platform")})`,
      `      repoOwner(${groovy(github[1])})`,
      `      repository(${groovy(github[2])})`,
      `      repositoryUrl(${groovy(job.repo)})`,
      "      configuredByUrl(true)",
      ...credentials,
      "      traits {",
      "        gitHubBranchDiscovery { strategyId(1) }", // branches that are not also pull requests
      "        gitHubPullRequestDiscovery { strategyId(1) }", // the pull request merged with its target
      "        gitHubTagDiscovery()",
      "      }",
      "    }",
    ];
  }
  return [
    "    git {",
    `      id(${groovy("platform")})`,
    `      remote(${groovy(job.repo)})`,
    ...credentials,
    "      traits {",
    "        gitBranchDiscovery()",
    "        gitTagDiscovery()",
    "      }",
    "    }",
  ];
}

/** The Job DSL script of the seeded multibranch pipeline. */
export function seedJobScript(job: JenkinsSeedJob): string {
  const d = SEED_JOB_DEFAULTS;
  return [
    `multibranchPipelineJob(${groovy(d.jobName)}) {`,
    `  description(${groovy(`Previews and releases of the platform itself (${job.repo}); seeded by the platform's JCasC.`)})`,
    "  branchSources {",
    "    branchSource {",
    "      source {",
    ...source(job).map((line) => `    ${line}`),
    "      }",
    // Listing strategies replaces the default (branches and change requests): tags need saying.
    "      buildStrategies {",
    "        buildRegularBranches()",
    "        buildChangeRequests { ignoreTargetOnlyChanges(true); ignoreUntrustedChanges(true) }",
    `        buildTags { atLeastDays('-1'); atMostDays('${d.tagMaxAgeDays}') }`,
    "      }",
    "    }",
    "  }",
    `  factory { workflowBranchProjectFactory { scriptPath(${groovy(d.scriptPath)}) } }`,
    `  triggers { periodicFolderTrigger { interval(${groovy(d.scanInterval)}) } }`,
    "  orphanedItemStrategy { discardOldItems { numToKeep(20) } }",
    "}",
    "",
  ].join("\n");
}

/** The JCasC `jobs:` section that seeds it (the job-dsl plugin reads it). */
export function seedJobs(job: JenkinsSeedJob | undefined): { jobs?: { script: string }[] } {
  return job ? { jobs: [{ script: seedJobScript(job) }] } : {};
}

/** Something the user can act on (a taken port, a missing binary, a folder that is not a cluster's): printed alone. */
export class ClusterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ClusterError";
  }
}

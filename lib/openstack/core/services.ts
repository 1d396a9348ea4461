/**
 * What the client needs to know per service: how it is called in messages, how to turn a
 * catalog URL into the versioned API root the request modules append paths to, and which
 * microversion header it takes.
 */
export interface ServiceSpec {
  /** Official service type, looked up in the catalog with its aliases. */
  type: string;
  /** Name used in messages ("Nova said 404 …"). */
  displayName: string;
  /** Versioned API root for request paths, from the catalog URL. */
  apiRoot(catalogUrl: string, projectId: string | null): string;
  microversion?: {
    /** Service name in `OpenStack-API-Version: <name> <version>`. */
    headerName: string;
    /** Pre-standard header some services still read. */
    legacyHeader?: string;
    /** Highest microversion whose response shapes this client understands. */
    clientMax: string;
    major: number;
    /** Where the version document lives, from the API root. */
    versionDocument(apiRoot: string): string;
  };
}

const trimSlash = (url: string) => url.replace(/\/+$/, "");

/** Nova: `/v2.1` (optionally followed by a project id), or the bare root. */
export const compute: ServiceSpec = {
  type: "compute",
  displayName: "Nova",
  apiRoot: (url) => {
    const u = trimSlash(url);
    return /\/v2(\.\d+)?(\/[^/]+)?$/.test(u) ? u : `${u}/v2.1`;
  },
  microversion: {
    headerName: "compute",
    legacyHeader: "X-OpenStack-Nova-API-Version",
    // 2.61 puts extra_specs in flavor lists, 2.47 embeds the flavor in servers,
    // 2.90 is the last before 2.96 changes server responses again.
    clientMax: "2.90",
    major: 2,
    versionDocument: (root) => root.replace(/(\/v2(\.\d+)?)\/[^/]+$/, "$1"),
  },
};

/** Glance: registered as the root or as `/v2`. */
export const image: ServiceSpec = {
  type: "image",
  displayName: "Glance",
  apiRoot: (url) => `${trimSlash(url).replace(/\/v2(\.\d+)?$/, "")}/v2`,
};

/** Neutron: registered as the root or as `/v2.0`. */
export const network: ServiceSpec = {
  type: "network",
  displayName: "Neutron",
  apiRoot: (url) => `${trimSlash(url).replace(/\/v2\.0$/, "")}/v2.0`,
};

/** Placement: unversioned root; the microversion says everything. */
export const placement: ServiceSpec = {
  type: "placement",
  displayName: "Placement",
  apiRoot: trimSlash,
  microversion: {
    headerName: "placement",
    // 1.39 is Zed's maximum; every shape used here is stable since 1.29.
    clientMax: "1.39",
    major: 1,
    versionDocument: (root) => root,
  },
};

/** Cinder v3: `/v3/<project>` (placeholders already substituted), `/v3`, or the root. */
export const blockStorage: ServiceSpec = {
  type: "block-storage",
  displayName: "Cinder",
  apiRoot: (url, projectId) => {
    const u = trimSlash(url);
    if (/\/v3\/[^/]+$/.test(u)) return u;
    const v3 = /\/v3$/.test(u) ? u : `${u}/v3`;
    // Cinder before 3.67 needs the project in the path.
    return projectId ? `${v3}/${projectId}` : v3;
  },
};

/** Keystone: the URL found by version discovery, not the catalog's (see ServiceClient). */
export const identity: ServiceSpec = {
  type: "identity",
  displayName: "Keystone",
  apiRoot: (url) => {
    const u = trimSlash(url);
    return /\/v3$/.test(u) ? u : `${u}/v3`;
  },
};

import { describe, expect, it } from "vitest";
import {
  adminRoleOf,
  detectFormat,
  listCloudsYaml,
  parseCloudsYaml,
  parseOpenrc,
  parseProviderJson,
  stripJsonComments,
} from "./credentials-import";

// Seed 000's openrc, verbatim.
const SEED_OPENRC = `export OS_AUTH_URL=https://jetstreamtestcloud.cyverse.org:5000/v3
export OS_PROJECT_ID=090a144b4911402b91fba4ba10c3ebfe
export OS_PROJECT_NAME="cmart"
export OS_USER_DOMAIN_NAME="Default"
if [ -z "$OS_USER_DOMAIN_NAME" ]; then unset OS_USER_DOMAIN_NAME; fi
unset OS_TENANT_ID
unset OS_TENANT_NAME
export OS_USERNAME="admin"
echo "Please enter your OpenStack Password for project $OS_PROJECT_NAME as user $OS_USERNAME: "
read -sr OS_PASSWORD_INPUT
export OS_PASSWORD=$OS_PASSWORD_INPUT
export OS_REGION_NAME="RegionOne"
if [ -z "$OS_REGION_NAME" ]; then unset OS_REGION_NAME; fi
export OS_INTERFACE=public
export OS_IDENTITY_API_VERSION=3
`;

// Seed 000's add_new_provider JSON, verbatim, with its # comments.
const SEED_JSON = `{
  "admin": {
    "username": "atmoadmin",
    "password": "mysupersecretpassword",
    "tenant": "atmoadmin"
  },
  "credential": {
    "admin_url": "https://myawesomecloud.org:35357",
    "auth_url": "https://myawesomecloud.org:5000",
    "public_routers": "public_router",
    "network_name": "selfservice",
    "region_name": "RegionOne",
    "ex_force_auth_version": "3.x_password"
  },
  "provider": {
    "public": true
  },
  "cloud_config": {
    "network": {
      "dns_nameservers": [
        "8.8.8.8",
        "8.8.4.4"
      ],
      "topology": "External Router Topology"
    },
    "user": {
      "admin_role_name": "admin",  # Matches the admin role in OpenStack
      "user_role_name": "_member_",  # Matches the _member_ role in OpenStack
      "domain": "default",
      "secret": "replacemeplease"  # This will be used to salt the OpenStack passwords for auto-generated user accounts
    },
    "deploy": {
      "hostname_format": "vm%(four)s.mysuperspecialcloud.org"  # Match the hostnames that you configured for instances in DNS above
    }
  }
}`;

describe("parseOpenrc", () => {
  it("reads the seed's openrc and asks for the prompted password", () => {
    const d = parseOpenrc(SEED_OPENRC);
    expect(d).toMatchObject({
      authUrl: "https://jetstreamtestcloud.cyverse.org:5000/v3",
      projectId: "090a144b4911402b91fba4ba10c3ebfe",
      projectName: "cmart",
      userDomainName: "Default",
      username: "admin",
      region: "RegionOne",
      interface: "public",
      authMethod: "password",
      needsPassword: true,
    });
    expect(d.password).toBeUndefined();
    // The seed sets both: says which one the token is scoped to.
    expect(d.warnings).toEqual([
      'The file sets both OS_PROJECT_ID and OS_PROJECT_NAME: the token is scoped to the project ID 090a144b4911402b91fba4ba10c3ebfe (the Project ID field); the name "cmart" is not sent.',
    ]);
  });

  it("honours unset, if-guards, quotes and expansion", () => {
    const d = parseOpenrc(`
# a comment
OS_AUTH_URL='http://10.0.0.1:5000'
export OS_PROJECT_NAME="proj one"
export OS_TENANT_NAME=old
unset OS_TENANT_NAME
export OS_REGION_NAME=""
if [ -z "$OS_REGION_NAME" ]; then unset OS_REGION_NAME; fi
if [ -n "$OS_PROJECT_NAME" ]; then export OS_USERNAME="u-$OS_PROJECT_NAME"; fi
export OS_PASSWORD='pa$$word'   # literal in single quotes
export OS_CACERT=/etc/ssl/ca.pem
`);
    expect(d).toMatchObject({
      authUrl: "http://10.0.0.1:5000",
      projectName: "proj one",
      username: "u-proj one",
      password: "pa$$word",
      needsPassword: false,
      caCertPath: "/etc/ssl/ca.pem",
    });
    expect(d.region).toBeUndefined();
    expect(d.warnings.join(" ")).toContain("upload that PEM file");
  });

  it("recognises application credentials", () => {
    const d = parseOpenrc(`export OS_AUTH_TYPE=v3applicationcredential
export OS_AUTH_URL=https://keystone.example.org/v3
export OS_APPLICATION_CREDENTIAL_ID=abc123
export OS_APPLICATION_CREDENTIAL_SECRET=s3cr3t`);
    expect(d).toMatchObject({
      authMethod: "application_credential",
      applicationCredentialId: "abc123",
      applicationCredentialSecret: "s3cr3t",
      needsPassword: false,
    });
  });

  it("warns about lines it does not evaluate and about Keystone v2", () => {
    const d = parseOpenrc(`export OS_AUTH_URL=http://x:5000/v2.0
export OS_IDENTITY_API_VERSION=2
source ~/other.sh
if [ "$A" = b ]; then`);
    expect(d.warnings.join("\n")).toMatch(/Keystone v3 only/);
    expect(d.authUrl).toBe("http://x:5000/v3");
    expect(d.warnings.join("\n")).toMatch(/Line 3 was ignored: source/);
    expect(d.warnings.join("\n")).toMatch(/Line 4 was ignored \(shell control flow/);
  });
});

describe("clouds.yaml", () => {
  const YAML = `clouds:
  openstack-lab:
    auth:
      auth_url: http://127.0.0.1:5000/v3
      username: admin
      password: secret
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
    interface: public
    identity_api_version: 3
  tls:
    auth_type: v3applicationcredential
    auth:
      auth_url: https://localhost:25000/v3
      application_credential_id: id1
      application_credential_secret: sec1
    region_name: RegionTLS
    cacert: /var/tmp/openstack-lab/tls/ca.pem
`;
  it("lists the clouds and reads the chosen one", () => {
    expect(listCloudsYaml(YAML)).toEqual(["openstack-lab", "tls"]);
    expect(parseCloudsYaml(YAML, "openstack-lab")).toMatchObject({
      name: "openstack-lab",
      authUrl: "http://127.0.0.1:5000/v3",
      username: "admin",
      password: "secret",
      projectName: "admin",
      region: "RegionOne",
      needsPassword: false,
    });
    const tls = parseCloudsYaml(YAML, "tls");
    expect(tls).toMatchObject({ authMethod: "application_credential", applicationCredentialId: "id1", caCertPath: "/var/tmp/openstack-lab/tls/ca.pem" });
  });
  it("asks which cloud when there are several, and names a wrong one", () => {
    expect(() => parseCloudsYaml(YAML)).toThrow(/2 clouds \(openstack-lab, tls\): choose one/);
    expect(() => parseCloudsYaml(YAML, "nope")).toThrow(/no cloud named "nope"/);
  });
  it("explains a file that is not a clouds.yaml", () => {
    expect(() => listCloudsYaml("a: [1")).toThrow(/not valid YAML/);
    expect(() => listCloudsYaml("foo: bar")).toThrow(/top-level `clouds:`/);
  });
});

describe("add_new_provider JSON", () => {
  it("reads the seed's example, # comments included", () => {
    const d = parseProviderJson(SEED_JSON);
    expect(d).toMatchObject({
      isPublic: true,
      authUrl: "https://myawesomecloud.org:5000",
      adminUrl: "https://myawesomecloud.org:35357",
      region: "RegionOne",
      username: "atmoadmin",
      password: "mysupersecretpassword",
      projectName: "atmoadmin",
      networkName: "selfservice",
      publicRouters: ["public_router"],
      userDomainName: "default",
      needsPassword: false,
    });
    expect(d.cloudConfig).toMatchObject({
      network: { topology: "External Router Topology", dns_nameservers: ["8.8.8.8", "8.8.4.4"] },
      user: { admin_role_name: "admin", user_role_name: "_member_", secret: "replacemeplease" },
      deploy: { hostname_format: "vm%(four)s.mysuperspecialcloud.org" },
    });
  });
  it("keeps # inside strings and drops trailing commas", () => {
    expect(JSON.parse(stripJsonComments('{"a": "x#y", # c\n "b": [1,2,],}'))).toEqual({ a: "x#y", b: [1, 2] });
  });
  it("explains broken JSON", () => {
    expect(() => parseProviderJson('{"admin": ')).toThrow(/not valid JSON/);
  });
});

describe("adminRoleOf: the Connect step's admin role from an imported file", () => {
  it("pre-fills the role the add_new_provider JSON names", () => {
    const json = SEED_JSON.replace('"admin_role_name": "admin"', '"admin_role_name": " cloud_admin "');
    expect(json).not.toBe(SEED_JSON);
    expect(adminRoleOf(parseProviderJson(json).cloudConfig)).toBe("cloud_admin");
  });
  it.each([
    ["no cloud_config", undefined],
    ["no user section", { network: {} }],
    ["a blank role", { user: { admin_role_name: "  " } }],
    ["a role that is not text", { user: { admin_role_name: 7 } }],
  ])("%s: nothing to pre-fill (the form's default applies)", (_what, cc) => {
    expect(adminRoleOf(cc as Record<string, unknown> | undefined)).toBeUndefined();
  });
});

describe("detectFormat", () => {
  it.each([
    [SEED_JSON, "json"],
    [SEED_OPENRC, "openrc"],
    ["clouds:\n  a: {}", "clouds.yaml"],
  ])("detects %#", (text, format) => expect(detectFormat(text)).toBe(format));
});

const BOM = "\uFEFF";
const LAB_YAML = `clouds:
  lab:
    auth:
      auth_url: http://127.0.0.1:5000/v3
      username: admin
      password: secret
      project_name: admin
    region_name: RegionOne
`;
const LAB_JSON = `{"admin": {"username": "a", "password": "p", "tenant": "t"},
 "credential": {"auth_url": "https://c.example.org:5000/v3", "admin_url": "https://c.example.org:35357", "region_name": "R1"}}`;

/** Reads a pasted text as the Connect step does. */
function read(text: string) {
  const format = detectFormat(text);
  return format === "json" ? parseProviderJson(text) : format === "clouds.yaml" ? parseCloudsYaml(text) : parseOpenrc(text);
}

describe("a UTF-8 byte-order mark is ignored", () => {
  it.each([
    ["openrc", `${BOM}export OS_AUTH_URL=http://127.0.0.1:5000/v3\nexport OS_USERNAME=admin`, "http://127.0.0.1:5000/v3"],
    ["clouds.yaml", `${BOM}${LAB_YAML}`, "http://127.0.0.1:5000/v3"],
    ["JSON", `${BOM}${LAB_JSON}`, "https://c.example.org:5000/v3"],
  ])("%s", (_format, text, authUrl) => {
    const d = read(text);
    expect(d.authUrl).toBe(authUrl);
    expect(d.warnings.join(" ")).not.toMatch(/ignored/);
  });

  it("and the format is still detected", () => {
    expect(detectFormat(`${BOM}{"a": 1}`)).toBe("json");
    expect(detectFormat(`${BOM}${LAB_YAML}`)).toBe("clouds.yaml");
  });
});

describe("ports and schemes are checked on read, naming the line", () => {
  it.each([
    ["openrc port 0", "# lab\nexport OS_AUTH_URL=http://10.0.0.1:0/v3", /^Line 2: OS_AUTH_URL \(http:\/\/10\.0\.0\.1:0\/v3\) has port 0, outside 1–65535\.$/],
    ["openrc port 65536", "export OS_AUTH_URL=https://k.example.org:65536/v3", /^Line 1: OS_AUTH_URL .* has port 65536, outside 1–65535/],
    ["openrc ftp", "export OS_USERNAME=a\nexport OS_AUTH_URL=ftp://k.example.org/v3", /^Line 2: OS_AUTH_URL .* uses ftp:\/\/; only http:\/\/ and https:\/\//],
    ["yaml port", LAB_YAML.replace("5000", "99999"), /^Line 4: auth_url .* has port 99999/],
    ["yaml scheme", LAB_YAML.replace("http://", "ldap://"), /^Line 4: auth_url .* uses ldap:\/\//],
    ["json admin_url port", LAB_JSON.replace("35357", "353570"), /^Line 2: admin_url .* has port 353570/],
    ["json no scheme", LAB_JSON.replace("https://c.example.org:5000", "c.example.org:5000"), /^Line 2: auth_url .* must start with http:\/\/ or https:\/\//],
  ])("%s", (_what, text, message) => {
    expect(() => read(text)).toThrow(message);
  });

  it.each(["http://a:1/v3", "https://a:65535/v3", "https://a.example.org/v3", "http://[::1]:5000/v3"])("accepts %s", (url) => {
    expect(read(`export OS_AUTH_URL=${url}`).authUrl).toBe(url);
  });
});

describe("both a project id and a project name", () => {
  it.each([
    ["openrc", "export OS_AUTH_URL=http://a:5000/v3\nexport OS_PROJECT_ID=p1\nexport OS_PROJECT_NAME=demo", "OS_PROJECT_ID and OS_PROJECT_NAME"],
    ["clouds.yaml", LAB_YAML.replace("project_name: admin", "project_name: admin\n      project_id: p1"), "project_id and project_name"],
  ])("%s says the id is used", (_format, text, both) => {
    const d = read(text);
    expect(d.projectId).toBe("p1");
    expect(d.warnings.join("\n")).toContain(`sets both ${both}: the token is scoped to the project ID p1 (the Project ID field)`);
  });

  it("one of them alone says nothing", () => {
    expect(read("export OS_AUTH_URL=http://a:5000/v3\nexport OS_PROJECT_ID=p1").warnings).toEqual([]);
    expect(read("export OS_AUTH_URL=http://a:5000/v3\nexport OS_PROJECT_NAME=demo").warnings).toEqual([]);
  });
});

describe("a Keystone v2.0 auth URL is recognised and the v3 URL proposed", () => {
  it.each([
    ["openrc v2.0", "export OS_AUTH_URL=https://k.example.org:5000/v2.0\nexport OS_TENANT_NAME=demo", "https://k.example.org:5000/v3", "Line 1: "],
    ["openrc v2.0/", "export OS_AUTH_URL=http://k:5000/v2.0/", "http://k:5000/v3", "Line 1: "],
    ["clouds.yaml", LAB_YAML.replace("5000/v3", "5000/v2.0"), "http://127.0.0.1:5000/v3", "Line 4: "],
    ["JSON", LAB_JSON.replace(":5000/v3", ":5000/v2.0"), "https://c.example.org:5000/v3", "Line 2: "],
  ])("%s", (_what, text, v3, line) => {
    const d = read(text);
    expect(d.authUrl).toBe(v3);
    expect(d.warnings[0]).toBe(`${line}Keystone v2.0 was removed in Queens; this cloud needs its v3 URL. The auth URL is set to ${v3}: check it.`);
  });

  it("OS_TENANT_* is read as the project, with the same note", () => {
    const d = read("export OS_AUTH_URL=http://k:5000/v3\nexport OS_TENANT_NAME=demo");
    expect(d.projectName).toBe("demo");
    expect(d.warnings.join(" ")).toMatch(/OS_TENANT_\* is Keystone v2.0's naming: read as the project\. Keystone v2.0 was removed in Queens/);
  });

  it("a v3 URL is left alone", () => {
    expect(read("export OS_AUTH_URL=http://k:5000/v3").warnings).toEqual([]);
    expect(read("export OS_AUTH_URL=http://k:5000/").authUrl).toBe("http://k:5000/");
  });
});

describe("unreadable files are refused, not half-filled", () => {
  const lines = SEED_OPENRC.split("\n");
  it.each([
    ["the seed's openrc with its line breaks lost", lines.join(""), /line breaks seem lost \(line 1 runs on: ".*v3export OS_PROJECT_ID/],
    ["two lines glued at a quote", 'export OS_USER_DOMAIN_NAME="Default"if [ -z "$OS_USER_DOMAIN_NAME" ]; then unset OS_USER_DOMAIN_NAME; fi', /line breaks seem lost/],
    ["glued after an unquoted value", "export OS_AUTH_URL=http://k:5000/v3\nexport OS_REGION_NAME=RegionOneexport OS_INTERFACE=public", /line 2 runs on/],
    ["a clouds.yaml pasted as one line", LAB_YAML.replace(/\n/g, " "), /clouds\.yaml is unreadable \(not valid YAML\)/],
    ["a clouds.yaml with tabs", LAB_YAML.replace(/ {2}/g, "\t"), /clouds\.yaml is unreadable \(not valid YAML\)/],
    ["a clouds.yaml whose auth slipped out of its cloud", "clouds:\n  lab:\n  auth:\n    auth_url: http://x/v3\n", /cloud "lab" has no `auth:` map under it \(check the indentation\)/],
    ["text that sets no OS_ variable", "hello world\nthis is not an openrc", /unreadable as an openrc: it sets no OS_\* variable/],
  ])("%s", (_what, text, message) => {
    expect(() => read(text)).toThrow(message);
  });

  it("an openrc with old Mac line ends (CR only) is read", () => {
    const d = read(SEED_OPENRC.replace(/\n/g, "\r"));
    expect(d).toMatchObject({ authUrl: "https://jetstreamtestcloud.cyverse.org:5000/v3", projectName: "cmart", region: "RegionOne", needsPassword: true });
  });

  it("legitimate one-line commands are not mistaken for lost line breaks", () => {
    const d = read('export OS_AUTH_URL=http://k:5000/v3; export OS_USERNAME="admin"\nif [ -z "$OS_REGION_NAME" ]; then unset OS_REGION_NAME; fi\nexport OS_PROJECT_NAME="motif if"');
    expect(d).toMatchObject({ authUrl: "http://k:5000/v3", username: "admin", projectName: "motif if" });
  });
});

describe("domain and project ids", () => {
  it("an openrc's OS_*_DOMAIN_ID and OS_PROJECT_ID stay ids, not names", () => {
    const d = parseOpenrc(
      'export OS_AUTH_URL=https://k.example.org:5000/v3\nexport OS_PROJECT_ID=0f3c2a9b\nexport OS_USER_DOMAIN_ID=default\nexport OS_PROJECT_DOMAIN_ID=3d2c1b0a\nexport OS_USERNAME=admin\nexport OS_PASSWORD=pw\n',
    );
    expect(d).toMatchObject({ projectId: "0f3c2a9b", userDomainId: "default", projectDomainId: "3d2c1b0a" });
    expect(d.projectName).toBeUndefined();
    expect(d.userDomainName).toBeUndefined();
    expect(d.projectDomainName).toBeUndefined();
  });
  it("a clouds.yaml's user_domain_id / project_domain_id stay ids", () => {
    const d = parseCloudsYaml("clouds:\n  c:\n    auth:\n      auth_url: https://k.example.org:5000/v3\n      username: a\n      project_id: p1\n      user_domain_id: default\n      project_domain_id: d2\n");
    expect(d).toMatchObject({ projectId: "p1", userDomainId: "default", projectDomainId: "d2" });
    expect(d.userDomainName).toBeUndefined();
  });
});

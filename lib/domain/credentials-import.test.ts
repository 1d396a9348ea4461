import { describe, expect, it } from "vitest";
import {
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
    expect(d.warnings).toEqual([]);
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

describe("detectFormat", () => {
  it.each([
    [SEED_JSON, "json"],
    [SEED_OPENRC, "openrc"],
    ["clouds:\n  a: {}", "clouds.yaml"],
  ])("detects %#", (text, format) => expect(detectFormat(text)).toBe(format));
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

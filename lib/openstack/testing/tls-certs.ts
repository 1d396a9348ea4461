import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface TestCerts {
  caPem: string;
  /** Signed by the CA for localhost and 127.0.0.1. */
  server: { key: string; cert: string };
  /** Self-signed for localhost and 127.0.0.1. */
  selfSigned: { key: string; cert: string };
  /** Signed by the CA, valid only in January 2020. */
  expired: { key: string; cert: string };
}

/** Whether the openssl CLI is there to make test certificates. */
export function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Makes a throw-away CA and certificates with the openssl CLI (Node cannot sign certificates). */
export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(path.join(tmpdir(), "cloudport-tls-"));
  const f = (name: string) => path.join(dir, name);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const san = "subjectAltName=DNS:localhost,IP:127.0.0.1";
  try {
    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f("ca.key"), "-out", f("ca.pem"), "-days", "30",
      "-subj", "/CN=Cloudport Test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=keyCertSign,cRLSign");

    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", "/CN=localhost");
    writeFileSync(f("ext.cnf"), `${san}\n`);
    ssl("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial",
      "-out", f("server.pem"), "-days", "20", "-extfile", f("ext.cnf"));

    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f("self.key"), "-out", f("self.pem"), "-days", "20",
      "-subj", "/CN=localhost", "-addext", san);

    // `openssl ca` is the only way in OpenSSL 3.0 to give a certificate dates in the past.
    writeFileSync(f("index.txt"), "");
    writeFileSync(f("serial"), "1000\n");
    writeFileSync(
      f("ca.cnf"),
      [
        "[ca]", "default_ca=test", "[test]", `dir=${dir}`, "database=$dir/index.txt", "serial=$dir/serial",
        "new_certs_dir=$dir", "certificate=$dir/ca.pem", "private_key=$dir/ca.key", "default_md=sha256",
        "policy=any", "copy_extensions=copy", "[any]", "commonName=supplied",
      ].join("\n"),
    );
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f("expired.key"), "-out", f("expired.csr"), "-subj", "/CN=localhost",
      "-addext", san);
    ssl("ca", "-batch", "-config", f("ca.cnf"), "-in", f("expired.csr"), "-out", f("expired.pem"),
      "-startdate", "20200101000000Z", "-enddate", "20200131000000Z", "-notext");

    const read = (name: string) => readFileSync(f(name), "utf8");
    return {
      caPem: read("ca.pem"),
      server: { key: read("server.key"), cert: read("server.pem") },
      selfSigned: { key: read("self.key"), cert: read("self.pem") },
      expired: { key: read("expired.key"), cert: read("expired.pem") },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

#!/usr/bin/env bash
# A throw-away certificate authority and a loopback server certificate for test servers (the
# e2e OpenID provider): `bash scripts/test-ca.sh DIR` writes DIR/ca.pem, DIR/server.pem and
# DIR/server-key.pem (127.0.0.1, ::1, localhost), once; the app trusts DIR/ca.pem through
# NODE_EXTRA_CA_CERTS. Never for production: the keys sit unencrypted in DIR.
set -euo pipefail
dir=${1:?usage: test-ca.sh DIR}
mkdir -p "$dir"
cd "$dir"
# TEST_CA_EXTRA_SAN adds names to the server certificate (e.g. "IP:192.0.2.2" for a listener on
# the machine's own address); a certificate made without them is made again.
san="IP:127.0.0.1,IP:::1,DNS:localhost${TEST_CA_EXTRA_SAN:+,$TEST_CA_EXTRA_SAN}"
if [ -s ca.pem ] && [ -s server.pem ] && [ -s server-key.pem ] && [ "$(cat san.txt 2>/dev/null)" = "$san" ] &&
  openssl x509 -checkend 86400 -noout -in server.pem >/dev/null 2>&1; then
  exit 0
fi
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Cloudport test CA" \
  -keyout ca-key.pem -out ca.pem \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem -out server.csr 2>/dev/null
printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
  "extendedKeyUsage=serverAuth" "subjectAltName=$san" >server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 \
  -extfile server.ext -out server.pem 2>/dev/null
rm -f server.csr server.ext ca.srl
echo "$san" >san.txt
chmod 644 ca.pem server.pem

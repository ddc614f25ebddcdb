#!/bin/sh
# Creates, once, everything five nodes need in /net: an authority, a key and a certificate per node,
# and one config per node. Topology: a line, node1 (rider) — node2 — node3 — node4 — node5 (taxi driver).
set -eu
cd /net
if [ -f node5.conf ]; then
  echo "network already initialised in /net"
  exit 0
fi

sgossip() { dotnet /app/sgossip.dll "$@"; }

sgossip ca new --name "Docker Taxi Council" --out council.ca
CA_KEY=$(sed -n 's/.*"public_key": *"\([0-9a-f]*\)".*/\1/p' council.ca)

for i in 1 2 3 4 5; do
  name=middleman; balance=100000000; policy='{ kind = none }'
  [ "$i" -eq 1 ] && { name=rider; balance=1000000000; }
  [ "$i" -eq 5 ] && { name=taxi-driver; balance=0; policy='{ kind = taxi-driver, area = "r3gx", price-msat = 25000000, message = "Toyota Prius, 4 seats" }'; }
  # Every node but node1 dials the one before it (a static peer, redialled if the link drops).
  peers=''
  [ "$i" -gt 1 ] && peers="\"node$((i - 1)):9735\""
  sgossip keys new --out "node$i.key"
  sgossip ca issue --ca council.ca --subject "node$i.key" --name "$name" --not-after now+365d --out "node$i.cert"
  cat > "node$i.conf" <<CONF
sweetgossip {
  data-directory = "data-node$i"
  node {
    listen = "0.0.0.0:9735"
    contact-address = "node$i:9735"
    peers = [$peers]
    identity-key-file = "node$i.key"
    certificate-file = "node$i.cert"
    trusted-authorities = [{ name = "Docker Taxi Council", public-key = "$CA_KEY" }]
    pow.base-difficulty = 12
    reply-policy = $policy
    # The compose file's Lightning hub: every node pays and is paid there (registered by its identity key),
    # with the token the hub wrote into the shared volume at its first start.
    lightning { kind = hub, hub = "http://hub:9737", hub-token-file = "hub/hub.token", starting-balance-msat = $balance }
  }
  control.listen = "127.0.0.1:9736"
  # Prometheus (another container) scrapes this: every interface, plain HTTP, counts only.
  metrics.listen = "0.0.0.0:9464"
}
CONF
done
echo "initialised five nodes in /net (authority key $CA_KEY)"
